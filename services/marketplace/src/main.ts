// Runs the marketplace service alone, in its own process and port (as in production).
import { runServices } from '@hookline/runtime';
import { createMarketplaceService } from './index.js';

await runServices('hookline-marketplace', [createMarketplaceService]);
