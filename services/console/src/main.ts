// Runs the console service alone, in its own process and port. It calls the
// management API on its own origin (`/v1`): behind one reverse proxy with the
// dispatcher, as in production, or in the platform process (`npm start`).
import { runServices } from '@hookline/runtime';
import { createConsoleService } from './index.js';

await runServices('hookline-console', [createConsoleService]);
