import { hooklineProject } from '../../test/vitest.shared.ts';

export default hooklineProject('http', { infra: false });
