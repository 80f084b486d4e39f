// @ts-check
// The tenant API key lives in this tab's sessionStorage only: it is sent as a
// bearer header to the same-origin API (never as a cookie, so there is no CSRF
// surface), and it is forgotten when the tab closes. See docs/console.md.

const KEY = 'hookline.console.apiKey';

/** @returns {string | null} */
export function getKey() {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** @param {string} key */
export function setKey(key) {
  sessionStorage.setItem(KEY, key);
}

export function clearKey() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // storage disabled: nothing was kept
  }
}
