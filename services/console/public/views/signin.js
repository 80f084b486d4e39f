// @ts-check
// Sign-in with a tenant API key: checked against the API before it is kept.
import { ApiError, request } from '../api.js';
import { setKey } from '../session.js';
import { state } from '../state.js';
import { h } from '../ui.js';

/** @typedef {import('../types.js').RouteContext} RouteContext */

/** @param {RouteContext} context */
export async function signInPage(context) {
  const input = h('input', {
    id: 'api-key',
    name: 'api-key',
    type: 'password',
    required: true,
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'hk_…',
    class: 'mono',
    'aria-describedby': 'api-key-help',
  });
  const message = h('div', { class: 'signin-message' });
  const button = h('button', { type: 'submit', class: 'button primary wide' }, 'Sign in');
  if (state.notice) {
    message.replaceChildren(h('p', { class: 'notice notice-info', role: 'status' }, state.notice));
    state.notice = '';
  }

  /** @param {SubmitEvent} event */
  async function submit(event) {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    button.disabled = true;
    button.textContent = 'Checking…';
    message.replaceChildren();
    try {
      // Any tenant route answers 200 for a tenant key, 401 for an unknown key, 403 for the admin key.
      await request('GET', '/connections', undefined, key);
      setKey(key);
      const target = state.returnTo && state.returnTo !== '#/signin' ? state.returnTo : '#/';
      state.returnTo = '#/';
      context.navigate(target);
    } catch (error) {
      const text =
        error instanceof ApiError && error.status === 401
          ? 'This API key was refused. Check that you copied the whole key (it starts with hk_).'
          : error instanceof ApiError && error.status === 403
            ? 'This is not a tenant API key: the console needs the key of a tenant, not the admin key.'
            : error instanceof Error
              ? error.message
              : String(error);
      message.replaceChildren(h('p', { class: 'notice notice-error', role: 'alert' }, text));
      input.select();
    } finally {
      button.disabled = false;
      button.textContent = 'Sign in';
    }
  }

  return h(
    'div',
    { class: 'signin' },
    h(
      'form',
      { class: 'card signin-card', onSubmit: submit, 'aria-labelledby': 'signin-title' },
      h('img', { src: 'favicon.svg', alt: '', width: 48, height: 48, class: 'signin-logo' }),
      h('h1', { id: 'signin-title' }, 'Sign in to the Hookline console'),
      h(
        'p',
        { class: 'lead' },
        'Manage your webhook connections, see what was delivered, and unblock receivers that stopped answering.',
      ),
      message,
      h('div', { class: 'field' }, h('label', { for: 'api-key' }, 'Tenant API key'), input),
      h(
        'p',
        { class: 'help', id: 'api-key-help' },
        'The key stays in this browser tab only and is forgotten when you close it or sign out.',
      ),
      button,
    ),
  );
}
