// Runs the coworking service alone, in its own process and port (as in production).
import { runServices } from '@hookline/runtime';
import { createCoworkingService } from './index.js';

await runServices('hookline-coworking', [createCoworkingService]);
