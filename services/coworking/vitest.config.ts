import { hooklineProject } from '../../test/vitest.shared.ts';

export default hooklineProject('coworking', { infra: true });
