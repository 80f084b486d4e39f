// @ts-check
// What the pages share between navigations (in memory only).

export const state = {
  /** Where to go after signing in: the page that asked for a key. */
  returnTo: '#/',
  /** A message for the sign-in page (signed out, key refused). */
  notice: '',
};
