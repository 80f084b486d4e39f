// @ts-check
// The list of connections, by status, with the Unblock action on blocked ones.
import { api } from '../api.js';
import { badge, empty, errorBox, h, openDialog, pageHeader, plural, time, toast, uid } from '../ui.js';

/**
 * @typedef {import('../types.js').RouteContext} RouteContext
 * @typedef {import('../types.js').Connection} Connection
 */

/**
 * Conexa's unblock: say how many deliveries are held, ask whether to send
 * them (in order) or drop them, unblock. Resolves true when unblocked.
 * @param {Connection} connection
 */
export async function unblockFlow(connection) {
  const held = await api.listDeliveries({ connectionId: connection.id, status: 'held', limit: 200 });
  const count = held.nextCursor ? `more than ${held.data.length}` : String(held.data.length);
  const name = uid('held');
  const choice = (
    /** @type {string} */ value,
    /** @type {string} */ label,
    /** @type {string} */ help,
    /** @type {boolean} */ checked,
  ) => {
    const id = uid('choice');
    return h(
      'div',
      { class: 'choice' },
      h('input', { type: 'radio', name, id, value, checked }),
      h('label', { for: id }, h('strong', null, label), h('span', { class: 'help' }, help)),
    );
  };
  const options = h(
    'fieldset',
    { class: 'choices' },
    h('legend', null, 'What should happen to the held deliveries?'),
    choice(
      'release',
      'Release the held deliveries',
      'Send them now, in the order their events happened, with a new round of retries.',
      true,
    ),
    choice(
      'discard',
      'Discard the held deliveries',
      'They will not be sent. You can still redeliver one from the delivery log.',
      false,
    ),
  );
  const answer = await openDialog(
    `Unblock ${connection.name}`,
    [
      h(
        'p',
        null,
        `Hookline blocked this connection after ${plural(connection.consecutiveFailures || 5, 'failed request')} in a row`,
        connection.blockedAt ? [' (', time(connection.blockedAt), ')'] : '',
        `. ${count === '1' ? '1 delivery is' : `${count} deliveries are`} held for it.`,
      ),
      h(
        'p',
        { class: 'muted' },
        'Make sure the receiver answers again before unblocking: 5 more failures block it again.',
      ),
      options,
    ],
    [{ label: 'Unblock', value: 'unblock', kind: 'primary' }],
  );
  if (answer !== 'unblock') return false;
  const release =
    /** @type {HTMLInputElement | null} */ (options.querySelector('input[value="release"]'))?.checked ?? true;
  const result = await api.unblock(connection.id, release);
  toast(
    release
      ? `${connection.name} is unblocked: ${plural(result.released, 'held delivery', 'held deliveries')} released.`
      : `${connection.name} is unblocked: ${plural(result.discarded, 'held delivery', 'held deliveries')} discarded.`,
  );
  return true;
}

/** @param {RouteContext} context */
export async function connectionsPage(context) {
  const status = context.query.get('status') ?? '';
  const all = await api.listConnections();
  const shown = status ? all.filter((connection) => connection.status === status) : all;
  /** @type {Record<string, number>} */
  const counts = { '': all.length, active: 0, inactive: 0, blocked: 0 };
  for (const connection of all) counts[connection.status] = (counts[connection.status] ?? 0) + 1;
  const message = h('div');

  const tabs = h(
    'nav',
    { class: 'tabs', 'aria-label': 'Filter connections by status' },
    [
      ['', 'All'],
      ['active', 'Active'],
      ['inactive', 'Inactive'],
      ['blocked', 'Blocked'],
    ].map(([value, label]) =>
      h(
        'a',
        {
          href: value ? `#/connections?status=${value}` : '#/connections',
          'aria-current': value === status ? 'page' : null,
          class: `tab ${value === 'blocked' && (counts.blocked ?? 0) > 0 ? 'tab-alert' : ''}`,
        },
        label,
        h('span', { class: 'count' }, String(counts[value ?? ''] ?? 0)),
      ),
    ),
  );

  /** @param {Connection} connection */
  const row = (connection) =>
    h(
      'tr',
      { class: connection.status === 'blocked' ? 'row-blocked' : null },
      h(
        'th',
        { scope: 'row' },
        h('a', { href: `#/connections/${encodeURIComponent(connection.id)}` }, connection.name),
        connection.description ? h('div', { class: 'muted small' }, connection.description) : null,
      ),
      h('td', { class: 'hide-sm' }, h('span', { class: 'mono small truncate', title: connection.url }, connection.url)),
      h(
        'td',
        null,
        badge(connection.status),
        connection.blockedAt ? h('div', { class: 'muted small' }, 'since ', time(connection.blockedAt)) : null,
      ),
      h('td', { class: 'num' }, String(connection.consecutiveFailures)),
      h('td', { class: 'small hide-sm' }, subscription(connection)),
      h(
        'td',
        { class: 'actions-cell' },
        connection.status === 'blocked'
          ? h(
              'button',
              {
                type: 'button',
                class: 'button warning small',
                'aria-label': `Unblock ${connection.name}`,
                onClick: async () => {
                  try {
                    if (await unblockFlow(connection)) context.refresh();
                  } catch (error) {
                    message.replaceChildren(errorBox(error));
                  }
                },
              },
              'Unblock',
            )
          : null,
        h(
          'a',
          {
            href: `#/deliveries?connectionId=${encodeURIComponent(connection.id)}`,
            class: 'button secondary small',
            'aria-label': `Deliveries of ${connection.name}`,
          },
          'Deliveries',
        ),
      ),
    );

  return h(
    'div',
    null,
    pageHeader('Connections', {
      actions: [h('a', { href: '#/connections/new', class: 'button primary' }, 'New connection')],
    }),
    status === 'blocked'
      ? h(
          'p',
          { class: 'lead' },
          'These connections failed 5 requests in a row. Their new events are held until you unblock them: release the held deliveries to send them now, in order, or discard them.',
        )
      : null,
    tabs,
    message,
    shown.length === 0
      ? empty(
          status ? `No ${status} connections.` : 'No connections yet.',
          status ? [] : [h('a', { href: '#/connections/new', class: 'button primary' }, 'Create a connection')],
        )
      : h(
          'div',
          { class: 'table-wrap card flush' },
          h(
            'table',
            { class: 'table' },
            h(
              'caption',
              { class: 'visually-hidden' },
              status ? `${status[0]?.toUpperCase()}${status.slice(1)} connections` : 'Connections',
            ),
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                h('th', { scope: 'col' }, 'Name'),
                h('th', { scope: 'col', class: 'hide-sm' }, 'URL'),
                h('th', { scope: 'col' }, 'Status'),
                h('th', { scope: 'col', class: 'num' }, 'Failures'),
                h('th', { scope: 'col', class: 'hide-sm' }, 'Receives'),
                h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
              ),
            ),
            h('tbody', null, shown.map(row)),
          ),
        ),
  );
}

/** What a connection receives, in a few words. @param {Connection} connection */
export function subscription(connection) {
  const parts = [];
  const types = connection.filter.eventTypes;
  if (types.length)
    parts.push(types.length <= 2 ? types.join(', ') : `${types.slice(0, 2).join(', ')} +${types.length - 2}`);
  if (connection.filter.record) parts.push(`${connection.filter.record.model} callback`);
  return h('span', { class: 'mono' }, parts.join(' · '));
}
