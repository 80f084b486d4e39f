// @ts-check
// The delivery log (overall or per connection, filtered by status and event
// type) and one delivery: its request, every attempt, Redeliver and Recover.
import { api } from '../api.js';
import {
  badge,
  card,
  copy,
  empty,
  errorBox,
  field,
  h,
  httpBadge,
  localInput,
  openDialog,
  pageHeader,
  plural,
  pretty,
  select,
  time,
  toast,
} from '../ui.js';

/**
 * @typedef {import('../types.js').RouteContext} RouteContext
 * @typedef {import('../types.js').Delivery} Delivery
 * @typedef {import('../types.js').DeliveryDetail} DeliveryDetail
 * @typedef {import('../types.js').Connection} Connection
 */

const statuses = ['pending', 'held', 'succeeded', 'failed', 'discarded'];

/** @param {Delivery} delivery */
function lastAnswer(delivery) {
  if (delivery.attempts === 0)
    return h('span', { class: 'muted' }, delivery.status === 'discarded' ? 'Never sent' : 'Not sent yet');
  return httpBadge(delivery.lastStatus, delivery.lastError);
}

/**
 * The rows of a delivery table.
 * @param {Delivery[]} deliveries
 * @param {Map<string, Connection>} [connections]
 * @param {boolean} [compact] without the attempts column
 */
function deliveryRows(deliveries, connections, compact = false) {
  return deliveries.map((delivery) =>
    h(
      'tr',
      null,
      h(
        'td',
        { class: 'nowrap' },
        h(
          'a',
          {
            href: `#/deliveries/${encodeURIComponent(delivery.id)}`,
            'aria-label': `Delivery ${delivery.eventType} at ${new Date(delivery.createdAt).toLocaleString('en-GB')}`,
          },
          time(delivery.createdAt),
        ),
      ),
      h(
        'td',
        null,
        h('span', { class: 'mono' }, delivery.eventType),
        delivery.test ? h('span', { class: 'tag' }, 'test') : null,
      ),
      connections
        ? h(
            'td',
            null,
            connections.get(delivery.connectionId)
              ? h(
                  'a',
                  { href: `#/connections/${encodeURIComponent(delivery.connectionId)}` },
                  connections.get(delivery.connectionId)?.name ?? '',
                )
              : h('span', { class: 'muted mono small' }, delivery.connectionId),
          )
        : null,
      h('td', null, badge(delivery.status)),
      compact ? null : h('td', { class: 'num' }, String(delivery.attempts)),
      h('td', null, lastAnswer(delivery)),
    ),
  );
}

/**
 * A table of deliveries.
 * @param {Delivery[]} deliveries
 * @param {{ showConnection: boolean, connections?: Map<string, Connection>, caption?: string, compact?: boolean }} options
 */
export function deliveryTable(deliveries, options) {
  const connections = options.showConnection ? (options.connections ?? new Map()) : undefined;
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: options.compact ? 'table compact' : 'table' },
      h('caption', { class: 'visually-hidden' }, options.caption ?? 'Deliveries'),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, 'Time'),
          h('th', { scope: 'col' }, 'Event type'),
          connections ? h('th', { scope: 'col' }, 'Connection') : null,
          h('th', { scope: 'col' }, 'Status'),
          options.compact ? null : h('th', { scope: 'col', class: 'num' }, 'Attempts'),
          h('th', { scope: 'col' }, options.compact ? 'Answer' : 'Last answer'),
        ),
      ),
      h('tbody', null, deliveryRows(deliveries, connections, options.compact)),
    ),
  );
}

/**
 * Asks since when, then recovers a connection's failed deliveries.
 * @param {Connection} connection
 * @returns {Promise<number | null>} how many were queued, null when cancelled
 */
export async function recoverFlow(connection) {
  const since = h('input', {
    type: 'datetime-local',
    value: localInput(new Date(Date.now() - 24 * 3600_000)),
    required: true,
  });
  const answer = await openDialog(
    `Recover failed deliveries of ${connection.name}`,
    [
      h(
        'p',
        null,
        'Every failed delivery created since this time is sent again, in the order its events happened, with a new round of retries.',
      ),
      field('Failed since', since),
    ],
    [{ label: 'Recover', value: 'recover' }],
  );
  if (answer !== 'recover') return null;
  const result = await api.recover(connection.id, new Date(since.value));
  toast(
    result.recovered
      ? `${plural(result.recovered, 'failed delivery', 'failed deliveries')} queued again.`
      : 'No failed deliveries since then.',
  );
  return result.recovered;
}

/**
 * The "Recover failed…" button of a connection's pages: the recover flow, then a refresh; errors shown in `message`.
 * @param {Connection} connection
 * @param {RouteContext} context
 * @param {HTMLElement} message
 */
function recoverButton(connection, context, message) {
  const onClick = async () => {
    try {
      if ((await recoverFlow(connection)) !== null) context.refresh();
    } catch (error) {
      message.replaceChildren(errorBox(error));
    }
  };
  return h('button', { type: 'button', class: 'button secondary', onClick }, 'Recover failed…');
}

/** @param {RouteContext} context */
export async function deliveriesPage(context) {
  const filter = {
    connectionId: context.query.get('connectionId') ?? '',
    status: context.query.get('status') ?? '',
    eventType: context.query.get('eventType') ?? '',
  };
  const [connections, catalog, page] = await Promise.all([
    api.listConnections(),
    api.eventTypes(),
    api.listDeliveries({ ...filter, limit: 50 }),
  ]);
  const byId = new Map(connections.map((connection) => [connection.id, connection]));
  const connection = byId.get(filter.connectionId);
  const message = h('div');

  /** Changes one filter, keeping the others as the address has them now. @param {Partial<typeof filter>} change */
  const apply = (change) => {
    const next = new URLSearchParams(location.hash.split('?')[1] ?? '');
    for (const [name, value] of Object.entries(change)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    const query = next.toString();
    context.navigate(`#/deliveries${query ? `?${query}` : ''}`);
  };
  const connectionSelect = select(
    [['', 'All connections'], ...connections.map((item) => /** @type {[string, string]} */ ([item.id, item.name]))],
    filter.connectionId,
    {
      onChange: (/** @type {Event} */ event) =>
        apply({ connectionId: /** @type {HTMLSelectElement} */ (event.target).value }),
    },
  );
  const statusSelect = select(
    [
      ['', 'Any status'],
      ...statuses.map(
        (status) => /** @type {[string, string]} */ ([status, status[0]?.toUpperCase() + status.slice(1)]),
      ),
    ],
    filter.status,
    {
      onChange: (/** @type {Event} */ event) =>
        apply({ status: /** @type {HTMLSelectElement} */ (event.target).value }),
    },
  );
  const typeOptions = catalog.map((type) => type.type);
  if (filter.eventType && !typeOptions.includes(filter.eventType)) typeOptions.unshift(filter.eventType);
  const typeSelect = select(
    [['', 'Any event type'], ...typeOptions.map((type) => /** @type {[string, string]} */ ([type, type]))],
    filter.eventType,
    {
      class: 'mono',
      onChange: (/** @type {Event} */ event) =>
        apply({ eventType: /** @type {HTMLSelectElement} */ (event.target).value }),
    },
  );
  const filtered = Boolean(filter.connectionId || filter.status || filter.eventType);

  const tbody = h('tbody');
  const table = deliveryTable(page.data, {
    showConnection: true,
    connections: byId,
    caption: 'Deliveries, newest first',
  });
  const body = table.querySelector('tbody');
  if (body) tbody.replaceChildren(...body.childNodes);
  body?.replaceWith(tbody);
  let cursor = page.nextCursor;
  const more = h(
    'button',
    {
      type: 'button',
      class: 'button secondary',
      hidden: !cursor,
      onClick: async () => {
        if (!cursor) return;
        more.disabled = true;
        try {
          const next = await api.listDeliveries({ ...filter, limit: 50, cursor });
          tbody.append(...deliveryRows(next.data, byId));
          cursor = next.nextCursor;
          more.hidden = !cursor;
        } catch (error) {
          message.replaceChildren(errorBox(error));
        } finally {
          more.disabled = false;
        }
      },
    },
    'Load older deliveries',
  );

  return h(
    'div',
    null,
    pageHeader(connection ? `Delivery log: ${connection.name}` : 'Delivery log', {
      crumbs: connection
        ? [
            ['#/connections', 'Connections'],
            [`#/connections/${encodeURIComponent(connection.id)}`, connection.name],
          ]
        : [],
      actions: [
        h('button', { type: 'button', class: 'button secondary', onClick: () => context.refresh() }, 'Refresh'),
        connection ? recoverButton(connection, context, message) : null,
      ],
    }),
    h(
      'div',
      { class: 'filters card', role: 'search', 'aria-label': 'Filter deliveries' },
      field('Connection', connectionSelect),
      field('Status', statusSelect),
      field('Event type', typeSelect),
      filtered ? h('a', { href: '#/deliveries', class: 'button ghost small' }, 'Clear filters') : null,
    ),
    message,
    page.data.length === 0
      ? empty(
          filtered
            ? 'No deliveries match these filters.'
            : 'Nothing delivered yet. Deliveries appear here as soon as events match a connection, or when you send a test.',
        )
      : h('div', { class: 'card flush' }, table),
    h('div', { class: 'more' }, more),
  );
}

/** @param {RouteContext} context */
export async function deliveryPage(context) {
  const id = context.params[0] ?? '';
  const delivery = await api.getDelivery(id);
  const connection = await api.getConnection(delivery.connectionId).catch(() => null);
  const message = h('div');

  const redeliver = async () => {
    try {
      await api.redeliver(delivery.id);
      toast('Redelivery queued: a new round of attempts starts now.');
      context.refresh();
    } catch (error) {
      message.replaceChildren(errorBox(error));
    }
  };

  // While the delivery is still being worked on, the page follows it.
  if (delivery.status === 'pending') {
    setTimeout(() => {
      if (context.current()) context.refresh();
    }, 1500);
  }

  const headers = Object.entries(delivery.request.headers ?? {});
  const bodyText = pretty(delivery.request.body);

  const summary = h(
    'dl',
    { class: 'details' },
    h('dt', null, 'Status'),
    h(
      'dd',
      null,
      badge(delivery.status),
      delivery.status === 'pending' ? h('span', { class: 'muted small' }, ' updating…') : null,
    ),
    delivery.reason || delivery.lastError
      ? [h('dt', null, 'Reason'), h('dd', null, delivery.reason ?? delivery.lastError)]
      : null,
    h('dt', null, 'Event type'),
    h('dd', { class: 'mono' }, delivery.eventType, delivery.test ? h('span', { class: 'tag' }, 'test') : null),
    h('dt', null, 'Connection'),
    h(
      'dd',
      null,
      connection
        ? h('a', { href: `#/connections/${encodeURIComponent(connection.id)}` }, connection.name)
        : h('span', { class: 'mono' }, delivery.connectionId),
    ),
    h('dt', null, 'Delivery id (webhook-id)'),
    h('dd', { class: 'mono' }, delivery.id),
    h('dt', null, 'Event id'),
    h('dd', { class: 'mono' }, delivery.eventId),
    h('dt', null, 'Subject'),
    h('dd', { class: 'mono' }, delivery.subject),
    h('dt', null, 'Created'),
    h('dd', null, time(delivery.createdAt)),
    h('dt', null, 'Attempts'),
    h('dd', null, String(delivery.attempts)),
    delivery.nextAttemptAt ? [h('dt', null, 'Next attempt'), h('dd', null, time(delivery.nextAttemptAt))] : null,
  );

  const attempts = delivery.attemptLog.length
    ? h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table attempts' },
          h('caption', { class: 'visually-hidden' }, 'Attempts'),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', { scope: 'col', class: 'num' }, '#'),
              h('th', { scope: 'col' }, 'Started'),
              h('th', { scope: 'col' }, 'Status'),
              h('th', { scope: 'col', class: 'num' }, 'Duration'),
              h('th', { scope: 'col' }, 'Response'),
            ),
          ),
          h(
            'tbody',
            null,
            delivery.attemptLog.map((attempt) =>
              h(
                'tr',
                null,
                h('td', { class: 'num' }, String(attempt.number)),
                h('td', null, time(attempt.startedAt)),
                h('td', null, httpBadge(attempt.status, attempt.error)),
                h('td', { class: 'num' }, `${Math.round(attempt.durationMs)} ms`),
                h(
                  'td',
                  { class: 'response-cell' },
                  attempt.error ? h('p', { class: 'error-text' }, attempt.error) : null,
                  attempt.responseBody
                    ? h('pre', { class: 'code small' }, attempt.responseBody)
                    : attempt.error
                      ? null
                      : h('span', { class: 'muted' }, '(empty)'),
                ),
              ),
            ),
          ),
        ),
      )
    : h(
        'p',
        { class: 'muted' },
        delivery.status === 'held' ? 'Not sent: held while the connection is blocked.' : 'No attempt yet.',
      );

  return h(
    'div',
    null,
    pageHeader(h('span', { class: 'mono' }, delivery.eventType), {
      crumbs: [
        ['#/deliveries', 'Delivery log'],
        ...(connection
          ? /** @type {[string, string][]} */ ([
              [`#/deliveries?connectionId=${encodeURIComponent(connection.id)}`, connection.name],
            ])
          : []),
      ],
      after: [' ', badge(delivery.status)],
      actions: [
        h(
          'button',
          {
            type: 'button',
            class: 'button primary',
            onClick: redeliver,
            disabled: delivery.status === 'pending',
            title:
              delivery.status === 'pending'
                ? 'Still being delivered'
                : 'Send it again, with the same webhook-id and body',
          },
          'Redeliver',
        ),
        connection ? recoverButton(connection, context, message) : null,
      ],
    }),
    message,
    h(
      'div',
      { class: 'grid-2' },
      card('Summary', [summary]),
      card('Request headers', [
        headers.length
          ? h(
              'div',
              { class: 'table-wrap' },
              h(
                'table',
                { class: 'table kv' },
                h('caption', { class: 'visually-hidden' }, 'Request headers'),
                h(
                  'thead',
                  null,
                  h('tr', null, h('th', { scope: 'col' }, 'Header'), h('th', { scope: 'col' }, 'Value')),
                ),
                h(
                  'tbody',
                  null,
                  headers.map(([name, value]) =>
                    h(
                      'tr',
                      null,
                      h('th', { scope: 'row', class: 'mono' }, name),
                      h('td', { class: 'mono break' }, value),
                    ),
                  ),
                ),
              ),
            )
          : h('p', { class: 'muted' }, 'Headers are recorded with the first attempt.'),
      ]),
    ),
    card(`Attempts (${delivery.attemptLog.length})`, [attempts]),
    card('Request body', [h('pre', { class: 'code', tabindex: 0 }, bodyText)], {
      actions: [
        h(
          'button',
          { type: 'button', class: 'button secondary small', onClick: () => copy(bodyText, 'Request body') },
          'Copy',
        ),
      ],
    }),
  );
}
