// Runs the accounting service alone, in its own process and port (as in production).
import { runServices } from '@hookline/runtime';
import { createAccountingService } from './index.js';

await runServices('hookline-accounting', [createAccountingService]);
