import { hooklineProject } from '../../test/vitest.shared.ts';

export default hooklineProject('console', { infra: true });
