// @ts-check
// Small DOM helpers and the shared pieces of the console's pages. Elements are
// built with createElement and textContent only, never from HTML strings, so
// nothing the API returns can become markup.
import { ApiError } from './api.js';

/** @typedef {Node | string | number | null | undefined | false} Leaf */
/** @typedef {Leaf | Leaf[]} Child1 */
/** @typedef {Leaf | Child1[]} Child2 */
/** @typedef {Leaf | Child2[]} Child3 */
/** @typedef {Leaf | Child3[]} Child4 */
/** @typedef {Leaf | Child4[]} Child  what h() takes as children: nodes, text, nothing, or lists of them (nested up to 5 deep) */
/** @typedef {{ [name: string]: string | number | boolean | null | undefined | ((event: any) => void) }} Props */

/** @param {Element} parent @param {Child[]} children */
export function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, /** @type {Child[]} */ (child));
    else parent.append(child instanceof Node ? child : String(child));
  }
  return parent;
}

/** @param {Element} element @param {Props} props */
function applyProps(element, props) {
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'class') {
      element.setAttribute('class', String(value));
    } else if (name === 'value' || name === 'checked' || name === 'selected' || name === 'indeterminate') {
      /** @type {any} */ (element)[name] = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

/**
 * An HTML element: `h('a', { href: '#/', class: 'brand' }, 'Home')`; `onClick`
 * and the like add listeners, `value`/`checked` set properties.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Props | null} [props]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  if (props) applyProps(element, props);
  append(element, children);
  return element;
}

/**
 * An SVG element.
 * @template {keyof SVGElementTagNameMap} K
 * @param {K} tag
 * @param {Props | null} [props]
 * @param {...Child} children
 * @returns {SVGElementTagNameMap[K]}
 */
export function svg(tag, props, ...children) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  if (props) applyProps(element, props);
  append(element, children);
  return element;
}

let ids = 0;
/** A unique id for label/aria links. @param {string} prefix */
export function uid(prefix) {
  ids += 1;
  return `${prefix}-${ids}`;
}

// ---------- formatting ----------

const dateTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const full = new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'long' });

/** A `<time>` with a short text and the full date as its title. @param {string | undefined} iso */
export function time(iso) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const date = new Date(iso);
  return h('time', { datetime: iso, title: full.format(date) }, dateTime.format(date));
}

/** "3 minutes ago", "in 20 seconds". @param {string} iso */
export function relative(iso) {
  const seconds = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(seconds, 'second');
  if (abs < 3600) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86400), 'day');
}

/** @param {number} count @param {string} one @param {string} [many] */
export function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}

/** @param {unknown} value */
export function pretty(value) {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

// ---------- status ----------

/** @type {Record<string, string>} */
const statusLabels = {
  active: 'Active',
  inactive: 'Inactive',
  blocked: 'Blocked',
  pending: 'Pending',
  held: 'Held',
  succeeded: 'Succeeded',
  failed: 'Failed',
  discarded: 'Discarded',
};

/** A coloured status label (the colour repeats the text, never replaces it). @param {string} status */
export function badge(status) {
  return h('span', { class: `badge badge-${status}` }, statusLabels[status] ?? status);
}

/** An HTTP answer, coloured by class. @param {number | undefined} status @param {string} [error] */
export function httpBadge(status, error) {
  if (status === undefined)
    return h('span', { class: 'badge badge-failed', title: error ?? '' }, error ? 'No answer' : '—');
  const kind = status >= 200 && status < 300 ? 'succeeded' : 'failed';
  return h('span', { class: `badge badge-${kind} mono` }, String(status));
}

// ---------- page pieces ----------

/**
 * The page title, with optional breadcrumbs and actions.
 * @param {string | Node} title
 * @param {{ crumbs?: [string, string][], actions?: Child, after?: Child }} [options]
 */
export function pageHeader(title, options = {}) {
  return h(
    'header',
    { class: 'page-header' },
    options.crumbs?.length
      ? h(
          'nav',
          { 'aria-label': 'Breadcrumbs', class: 'crumbs' },
          options.crumbs.map(([href, label]) => [h('a', { href }, label), h('span', { 'aria-hidden': 'true' }, ' / ')]),
        )
      : null,
    h(
      'div',
      { class: 'page-title-row' },
      h('h1', null, title, options.after ?? []),
      options.actions ? h('div', { class: 'actions' }, options.actions) : null,
    ),
  );
}

/** @param {string} title @param {Child} children @param {{ class?: string, actions?: Child }} [options] */
export function card(title, children, options = {}) {
  const id = uid('card');
  return h(
    'section',
    { class: `card ${options.class ?? ''}`, 'aria-labelledby': id },
    h(
      'div',
      { class: 'card-head' },
      h('h2', { id }, title),
      options.actions ? h('div', { class: 'actions' }, options.actions) : null,
    ),
    children,
  );
}

/** @param {string} message @param {Child} [more] */
export function empty(message, more = []) {
  return h('div', { class: 'empty' }, h('p', null, message), more);
}

/** What went wrong, in words, with the API's field issues. @param {unknown} error */
export function errorBox(error) {
  const issues = error instanceof ApiError ? error.issues : [];
  const message = error instanceof Error ? error.message : String(error);
  return h(
    'div',
    { class: 'notice notice-error', role: 'alert' },
    h('strong', null, error instanceof ApiError && error.status === 404 ? 'Not found. ' : 'Something went wrong. '),
    message,
    issues.length
      ? h(
          'ul',
          null,
          issues.map((issue) => h('li', null, h('code', null, issue.path), ': ', issue.message)),
        )
      : null,
  );
}

/** A loading placeholder for a page. */
export function loading() {
  return h('p', { class: 'loading', role: 'status' }, 'Loading…');
}

// ---------- feedback ----------

/** A short message at the bottom of the screen, read out by screen readers. @param {string} message @param {'ok' | 'error'} [kind] */
export function toast(message, kind = 'ok') {
  const region = document.getElementById('toasts');
  if (!region) return;
  const item = h('div', { class: `toast toast-${kind}` }, message);
  region.append(item);
  setTimeout(() => item.remove(), 6000);
}

/**
 * A modal dialog (native `<dialog>`: focus is kept inside, Escape cancels).
 * Resolves with the value of the button pressed, or null when cancelled.
 * @param {string} title
 * @param {Child} content
 * @param {{ label: string, value: string, kind?: 'primary' | 'danger' }[]} buttons
 * @returns {Promise<string | null>}
 */
export function openDialog(title, content, buttons) {
  const titleId = uid('dialog-title');
  const form = h('form', { method: 'dialog' });
  const dialog = h('dialog', { 'aria-labelledby': titleId, class: 'dialog' }, form);
  append(form, [
    h('h2', { id: titleId }, title),
    h('div', { class: 'dialog-body' }, content),
    h(
      'div',
      { class: 'dialog-actions' },
      h('button', { type: 'submit', value: 'cancel', class: 'button secondary' }, 'Cancel'),
      buttons.map((button) =>
        h('button', { type: 'submit', value: button.value, class: `button ${button.kind ?? 'primary'}` }, button.label),
      ),
    ),
  ]);
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      const value = dialog.returnValue;
      dialog.remove();
      resolve(value && value !== 'cancel' ? value : null);
    });
    dialog.showModal();
  });
}

/** @param {string} title @param {Child} content @param {string} confirmLabel @param {'primary' | 'danger'} [kind] */
export async function confirmDialog(title, content, confirmLabel, kind = 'primary') {
  return (await openDialog(title, content, [{ label: confirmLabel, value: 'confirm', kind }])) === 'confirm';
}

/** Copies text, with a toast saying so. @param {string} text @param {string} what */
export async function copy(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    toast(`${what} copied to the clipboard.`);
  } catch {
    toast(`${what} could not be copied: select it and copy it by hand.`, 'error');
  }
}

/**
 * A secret value shown masked, with Reveal/Hide and Copy buttons.
 * @param {string} label visible label, also names the buttons
 * @param {string} value
 */
export function secretField(label, value) {
  const id = uid('secret');
  const input = h('input', {
    id,
    type: 'password',
    readonly: true,
    value,
    class: 'mono secret-input',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const reveal = h(
    'button',
    {
      type: 'button',
      class: 'button secondary small',
      'aria-pressed': 'false',
      'aria-label': `Reveal ${label.toLowerCase()}`,
      onClick: () => {
        const shown = input.type === 'text';
        input.type = shown ? 'password' : 'text';
        reveal.setAttribute('aria-pressed', String(!shown));
        reveal.setAttribute('aria-label', `${shown ? 'Reveal' : 'Hide'} ${label.toLowerCase()}`);
        reveal.textContent = shown ? 'Reveal' : 'Hide';
      },
    },
    'Reveal',
  );
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h(
      'div',
      { class: 'secret-row' },
      input,
      reveal,
      h(
        'button',
        {
          type: 'button',
          class: 'button secondary small',
          'aria-label': `Copy ${label.toLowerCase()}`,
          onClick: () => copy(value, label),
        },
        'Copy',
      ),
    ),
  );
}

/**
 * A labelled form control. The control gets an id, the label points at it.
 * @param {string} label
 * @param {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} control
 * @param {string} [help]
 */
export function field(label, control, help) {
  control.id ||= uid('field');
  let helpNode = null;
  if (help) {
    const helpId = uid('help');
    control.setAttribute('aria-describedby', helpId);
    helpNode = h('p', { class: 'help', id: helpId }, help);
  }
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, helpNode);
}

/** @param {string} label @param {HTMLInputElement} checkbox @param {string} [help] */
export function checkField(label, checkbox, help) {
  checkbox.id ||= uid('check');
  let helpNode = null;
  if (help) {
    const helpId = uid('help');
    checkbox.setAttribute('aria-describedby', helpId);
    helpNode = h('span', { class: 'help', id: helpId }, help);
  }
  return h('div', { class: 'check' }, checkbox, h('div', null, h('label', { for: checkbox.id }, label), helpNode));
}

/**
 * A select with its options.
 * @param {[string, string][]} options value, label
 * @param {string} selected
 * @param {Props} [props]
 */
export function select(options, selected, props = {}) {
  return h(
    'select',
    props,
    options.map(([value, label]) => h('option', { value, selected: value === selected }, label)),
  );
}

/** Whether a pattern (`*`, `prefix.*`, exact) selects an event type, as the dispatcher matches. @param {string} pattern @param {string} type */
export function patternMatches(pattern, type) {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

/** A date as a datetime-local input value (local time, minutes). @param {Date} date */
export function localInput(date) {
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
