// `npm start`: every service in one process on PORT (default 3000).
import { startPlatform } from './index.js';

await startPlatform();
