/** What this service is, served at its prefix's root. */
export const about = {
  service: 'dispatcher',
  description: 'Consumes domain events and delivers them as signed webhooks with retry and blocking',
} as const;
