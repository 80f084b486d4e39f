import { hooklineProject } from '../../test/vitest.shared.ts';

export default hooklineProject('bus', { infra: true });
