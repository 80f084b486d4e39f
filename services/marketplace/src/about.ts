/** What this service is, served at its prefix's root. */
export const about = {
  service: 'marketplace',
  description:
    'BIYRO freelance marketplace: offers, projects, add-ons, payments and support periods as event-sourced aggregates',
} as const;
