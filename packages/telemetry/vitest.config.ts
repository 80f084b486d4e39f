import { hooklineProject } from '../../test/vitest.shared.ts';

export default hooklineProject('telemetry', { infra: false });
