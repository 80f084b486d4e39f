import { hooklineProject } from '../../test/vitest.shared.ts';

export default hooklineProject('dispatcher', { infra: true });
