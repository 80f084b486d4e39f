// Runs the scheduler service alone, in its own process and port (as in production).
import { runServices } from '@hookline/runtime';
import { createSchedulerService } from './index.js';

await runServices('hookline-scheduler', [createSchedulerService]);
