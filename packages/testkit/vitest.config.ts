import { hooklineProject } from '../../test/vitest.shared.ts';

export default hooklineProject('testkit', { infra: false });
