import { hooklineProject } from '../../test/vitest.shared.js';

export default hooklineProject('events', { infra: true });
