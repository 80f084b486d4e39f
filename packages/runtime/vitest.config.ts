import { hooklineProject } from '../../test/vitest.shared.js';

export default hooklineProject('runtime', { infra: false });
