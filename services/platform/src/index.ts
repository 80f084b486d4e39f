import { runServices, type ServiceFactory } from '@hookline/runtime';
import { createAccountingService } from '@hookline/accounting';
import { createConsoleService } from '@hookline/console';
import { createCoworkingService } from '@hookline/coworking';
import { createDispatcherService } from '@hookline/dispatcher';
import { createMarketplaceService } from '@hookline/marketplace';
import { createSchedulerService } from '@hookline/scheduler';

/** Every Hookline service, each under its own prefix. */
export const allServices: ServiceFactory[] = [
  createMarketplaceService,
  createAccountingService,
  createCoworkingService,
  createSchedulerService,
  createDispatcherService,
  createConsoleService,
];

/** The whole platform in one process: embedded backends unless KAFKA_BROKERS / MONGODB_URI are set. */
export function startPlatform(options: Parameters<typeof runServices>[2] = {}) {
  return runServices('hookline', allServices, options);
}
