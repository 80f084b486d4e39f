import { hooklineProject } from '../../test/vitest.shared.ts';

export default hooklineProject('platform', { infra: false });
