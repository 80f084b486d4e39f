// The repository's lint rules, plus the browser modules of public/: plain
// JavaScript whose names tsc already checks (tsconfig.public.json, lib dom).
import root from '../../eslint.config.js';

export default [...root, { files: ['public/**/*.js'], rules: { 'no-undef': 'off' } }];
