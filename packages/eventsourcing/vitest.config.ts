import { hooklineProject } from '../../test/vitest.shared.ts';

export default hooklineProject('eventsourcing', { infra: true });
