/** What this service is, served at its prefix's root. */
export const about = {
  service: 'accounting',
  description:
    'Robolabs accounting records (invoices, partners, products) whose every write becomes a field-level change event',
} as const;
