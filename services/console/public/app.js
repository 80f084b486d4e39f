// @ts-check
// The console's shell: the top bar, the blocked-connections banner, and a hash
// router (`#/connections/conn_…`) that renders one page at a time into <main>.
import { api, setUnauthorizedHandler } from './api.js';
import { clearKey, getKey } from './session.js';
import { state } from './state.js';
import { errorBox, h, loading, plural } from './ui.js';
import { catalogPage } from './views/catalog.js';
import { connectionPage, forgetSecrets } from './views/connection.js';
import { connectionFormPage } from './views/connection-form.js';
import { connectionsPage } from './views/connections.js';
import { deliveriesPage, deliveryPage } from './views/deliveries.js';
import { homePage } from './views/home.js';
import { signInPage } from './views/signin.js';

/** @typedef {import('./types.js').RouteContext} RouteContext */

/** @type {[RegExp, (context: RouteContext) => Promise<Node>, string][]} path, page, title */
const routes = [
  [/^\/$/, homePage, 'Overview'],
  [/^\/signin$/, signInPage, 'Sign in'],
  [/^\/connections$/, connectionsPage, 'Connections'],
  [/^\/connections\/new$/, connectionFormPage, 'New connection'],
  [/^\/connections\/([^/]+)\/edit$/, connectionFormPage, 'Edit connection'],
  [/^\/connections\/([^/]+)$/, connectionPage, 'Connection'],
  [/^\/deliveries$/, deliveriesPage, 'Delivery log'],
  [/^\/deliveries\/([^/]+)$/, deliveryPage, 'Delivery'],
  [/^\/catalog$/, catalogPage, 'Event catalog'],
];

/** @type {[string, string][]} */
const navigation = [
  ['#/', 'Overview'],
  ['#/connections', 'Connections'],
  ['#/deliveries', 'Delivery log'],
  ['#/catalog', 'Event catalog'],
];

const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const banner = /** @type {HTMLElement} */ (document.getElementById('banner'));
const nav = /** @type {HTMLElement} */ (document.getElementById('nav'));
const account = /** @type {HTMLElement} */ (document.getElementById('account'));

let generation = 0;
let lastPath = '';

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const at = raw.indexOf('?');
  const path = (at === -1 ? raw : raw.slice(0, at)) || '/';
  return { path, query: new URLSearchParams(at === -1 ? '' : raw.slice(at + 1)) };
}

function signOut() {
  clearKey();
  forgetSecrets();
  state.notice = 'You are signed out. The key was removed from this tab.';
  state.returnTo = '#/';
  location.hash = '#/signin';
}

setUnauthorizedHandler(() => {
  clearKey();
  forgetSecrets();
  state.notice = 'Your API key was refused: sign in again.';
  if (parseHash().path !== '/signin') {
    state.returnTo = location.hash || '#/';
    location.hash = '#/signin';
  }
});

/** @param {boolean} signedIn @param {string} path */
function renderChrome(signedIn, path) {
  nav.hidden = !signedIn;
  account.hidden = !signedIn;
  if (!signedIn) {
    nav.replaceChildren();
    account.replaceChildren();
    banner.replaceChildren();
    return;
  }
  const section = `/${path.split('/')[1] ?? ''}`;
  nav.replaceChildren(
    h(
      'ul',
      null,
      navigation.map(([href, label]) =>
        h('li', null, h('a', { href, 'aria-current': href.slice(1) === section ? 'page' : null }, label)),
      ),
    ),
  );
  if (!account.firstChild)
    account.append(h('button', { type: 'button', class: 'button ghost', onClick: signOut }, 'Sign out'));
}

/** The warning shown on every page while any connection is blocked (Conexa's banner). @param {number} mine */
async function renderBanner(mine) {
  try {
    const blocked = await api.listConnections('blocked');
    if (mine !== generation) return;
    banner.replaceChildren(
      blocked.length === 0
        ? ''
        : h(
            'div',
            { class: 'banner', role: 'alert' },
            h('span', { class: 'banner-icon', 'aria-hidden': 'true' }, '!'),
            h(
              'p',
              null,
              h(
                'strong',
                null,
                `${plural(blocked.length, 'connection')} ${blocked.length === 1 ? 'is' : 'are'} blocked.`,
              ),
              ' Hookline stopped sending to ',
              blocked.length === 1 ? 'it' : 'them',
              ' after 5 failed requests in a row; new events are held, not lost.',
            ),
            h(
              'a',
              { href: '#/connections?status=blocked', class: 'button warning small' },
              'Review blocked connections',
            ),
          ),
    );
  } catch {
    // The page itself shows API errors; the banner stays as it was.
  }
}

async function route() {
  generation += 1;
  const mine = generation;
  const { path, query } = parseHash();
  const signedIn = Boolean(getKey());
  if (!signedIn && path !== '/signin') {
    state.returnTo = location.hash || '#/';
    location.replace('#/signin');
    return;
  }
  if (signedIn && path === '/signin') {
    location.replace('#/');
    return;
  }
  renderChrome(signedIn, path);
  const found = routes
    .map(([pattern, page, title]) => ({ match: pattern.exec(path), page, title }))
    .find((candidate) => candidate.match);
  const navigated = path !== lastPath;
  lastPath = path;
  if (navigated) main.replaceChildren(loading());
  main.setAttribute('aria-busy', 'true');
  /** @type {RouteContext} */
  const context = {
    params: found?.match?.slice(1).map(decodeURIComponent) ?? [],
    query,
    current: () => mine === generation,
    refresh: () => void route(),
    navigate: (hash) => {
      location.hash = hash;
    },
  };
  document.title = `${found?.title ?? 'Not found'} · Hookline console`;
  if (signedIn) void renderBanner(mine);
  try {
    const page = found
      ? await found.page(context)
      : h('div', null, h('h1', null, 'Page not found'), h('p', null, h('a', { href: '#/' }, 'Back to the overview')));
    if (!context.current()) return;
    main.replaceChildren(page);
  } catch (error) {
    if (!context.current()) return;
    main.replaceChildren(errorBox(error));
  }
  main.setAttribute('aria-busy', 'false');
  // Which address the page shows (tests wait for it after changing a filter).
  main.dataset.rendered = location.hash;
  if (navigated) {
    window.scrollTo(0, 0);
    main.focus({ preventScroll: true });
  }
}

window.addEventListener('hashchange', () => void route());
void route();
