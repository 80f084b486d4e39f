import { hooklineProject } from '../../test/vitest.shared.js';

export default hooklineProject('auth', { infra: false });
