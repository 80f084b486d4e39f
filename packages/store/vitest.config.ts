import { hooklineProject } from '../../test/vitest.shared.ts';

export default hooklineProject('store', { infra: true });
