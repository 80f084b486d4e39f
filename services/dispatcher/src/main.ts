// Runs the dispatcher service alone, in its own process and port (as in production).
import { runServices } from '@hookline/runtime';
import { createDispatcherService } from './index.js';

await runServices('hookline-dispatcher', [createDispatcherService]);
