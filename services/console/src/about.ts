/** What this service is, served at `/console/about`. */
export const about = {
  service: 'console',
  description:
    'The tenant web console: connections, blocked connections, the delivery log and the event catalog, on the management API',
} as const;
