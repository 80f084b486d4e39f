import { hooklineProject } from '../../test/vitest.shared.ts';

export default hooklineProject('scheduler', { infra: true });
