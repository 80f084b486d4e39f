/** What this service is, served at its prefix's root. */
export const about = {
  service: 'scheduler',
  description: 'Time-based events: deadlines learnt from domain events, fired once across restarts and replicas',
} as const;
