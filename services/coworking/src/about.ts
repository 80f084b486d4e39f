/** What this service is, served at its prefix's root. */
export const about = {
  service: 'coworking',
  description: 'Conexa coworking billing and CRM: charges, customers, bookings, correspondence and leads',
} as const;
