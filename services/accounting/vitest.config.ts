import { hooklineProject } from '../../test/vitest.shared.ts';

export default hooklineProject('accounting', { infra: true });
