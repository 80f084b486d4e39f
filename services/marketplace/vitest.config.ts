import { hooklineProject } from '../../test/vitest.shared.ts';

export default hooklineProject('marketplace', { infra: true });
