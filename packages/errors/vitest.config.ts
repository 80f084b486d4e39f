import { hooklineProject } from '../../test/vitest.shared.ts';

export default hooklineProject('errors', { infra: false });
