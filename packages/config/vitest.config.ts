import { hooklineProject } from '../../test/vitest.shared.ts';

export default hooklineProject('config', { infra: false });
