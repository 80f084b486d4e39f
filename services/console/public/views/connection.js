// @ts-check
// One connection: test it, its credentials (unique key, signing secret), its
// settings and its latest deliveries; edit, delete, unblock, recover.
import { api } from '../api.js';
import {
  badge,
  card,
  confirmDialog,
  errorBox,
  field,
  h,
  httpBadge,
  localInput,
  pageHeader,
  patternMatches,
  plural,
  pretty,
  secretField,
  select,
  time,
  toast,
} from '../ui.js';
import { deliveryTable } from './deliveries.js';
import { unblockFlow } from './connections.js';

/**
 * @typedef {import('../types.js').RouteContext} RouteContext
 * @typedef {import('../types.js').Connection} Connection
 * @typedef {import('../types.js').EventType} EventType
 * @typedef {import('../types.js').TestResult} TestResult
 */

/**
 * Signing secrets seen in this page's life (shown by the API only when created
 * or rotated): in memory only, gone at reload or sign-out.
 * @type {Map<string, string>}
 */
const secrets = new Map();

/** @param {string} connectionId @param {string} secret */
export function rememberSecret(connectionId, secret) {
  secrets.set(connectionId, secret);
}

export function forgetSecrets() {
  secrets.clear();
}

/**
 * The catalog types a connection would receive (its patterns, or its record model's types), else every type.
 * @param {Connection} connection @param {EventType[]} catalog @param {string[]} recordTypes
 */
export function testTypes(connection, catalog, recordTypes) {
  const matching = catalog.filter(
    (type) =>
      connection.filter.eventTypes.some((pattern) => patternMatches(pattern, type.type)) ||
      recordTypes.includes(type.type),
  );
  return matching.length ? matching : catalog;
}

/** @param {Connection} connection */
function retryText(connection) {
  const retry = connection.retry;
  return `${plural(retry.maxAttempts, 'attempt')} within ${retry.windowSeconds} s, ${retry.timeoutMs} ms per request, waiting ${retry.backoffSeconds.map((seconds) => `${seconds} s`).join(', ')} between attempts`;
}

/** @param {RouteContext} context */
export async function connectionPage(context) {
  const id = context.params[0] ?? '';
  const [connection, catalog, models] = await Promise.all([
    api.getConnection(id),
    api.eventTypes(),
    api.recordModels(),
  ]);
  const recent = await api.listDeliveries({ connectionId: id, limit: 10 });
  const message = h('div');
  const failed = (/** @type {unknown} */ error) => message.replaceChildren(errorBox(error));

  // ----- test -----
  const recordTypes = models.models.find((model) => model.name === connection.filter.record?.model)?.eventTypes ?? [];
  const types = testTypes(connection, catalog, recordTypes);
  const typeSelect = select(
    types.map((type) => [type.type, type.type]),
    types[0]?.type ?? '',
    { class: 'mono' },
  );
  const testResult = h('div', { class: 'test-result', 'aria-live': 'polite' });
  const testButton = h('button', { type: 'submit', class: 'button primary' }, 'Send test');
  /** @param {SubmitEvent} event */
  const sendTest = async (event) => {
    event.preventDefault();
    testButton.disabled = true;
    testButton.textContent = 'Sending…';
    testResult.replaceChildren();
    try {
      const result = await api.sendTest(connection.id, typeSelect.value);
      testResult.replaceChildren(testAnswer(result));
      void showRecent();
    } catch (error) {
      testResult.replaceChildren(errorBox(error));
    } finally {
      testButton.disabled = false;
      testButton.textContent = 'Send test';
    }
  };
  const testCard = card('Send a test', [
    h(
      'p',
      { class: 'muted small' },
      'Sends the catalog example of an event type to the receiver now, once, whatever the state of the connection. Test sends do not count towards blocking.',
    ),
    h('form', { class: 'inline-form', onSubmit: sendTest }, field('Event type to send', typeSelect), testButton),
    testResult,
  ]);

  // ----- credentials -----
  const secret = secrets.get(connection.id);
  const rotate = async () => {
    const ok = await confirmDialog(
      'Rotate the signing secret?',
      [
        h(
          'p',
          null,
          'Hookline creates a new secret and shows it once. Requests are signed with both the old and the new secret for 24 hours, so you can update your receiver without losing requests.',
        ),
      ],
      'Rotate secret',
    );
    if (!ok) return;
    try {
      const rotated = await api.rotateSecret(connection.id);
      if (rotated.secret) rememberSecret(connection.id, rotated.secret);
      toast('New signing secret created: copy it now, it is shown only once.');
      context.refresh();
    } catch (error) {
      failed(error);
    }
  };
  const credentialsCard = card('Credentials', [
    connection.uniqueKey ? secretField('Unique key', connection.uniqueKey) : null,
    h(
      'p',
      { class: 'help' },
      'Sent as the hookline-unique-key header with every request (Robolabs "Unikalus raktas").',
    ),
    secret
      ? [
          secretField('Signing secret', secret),
          h(
            'p',
            { class: 'notice notice-warning' },
            'Copy this secret to your receiver now: Hookline shows it only once and will not show it again after you leave or reload.',
          ),
        ]
      : h(
          'div',
          { class: 'field' },
          h('span', { class: 'label' }, 'Signing secret'),
          h(
            'p',
            { class: 'muted' },
            'Hidden: Hookline shows a signing secret only once, when it is created. Rotate it to get a new one.',
          ),
        ),
    h('button', { type: 'button', class: 'button secondary', onClick: rotate }, 'Rotate secret'),
  ]);

  // ----- settings -----
  const headerNames = Object.keys(connection.headers);
  const record = connection.filter.record;
  const settingsCard = card('Settings', [
    h(
      'dl',
      { class: 'details' },
      h('dt', null, 'Active'),
      h('dd', null, connection.active ? 'Yes: receives new events' : 'No: receives no new events'),
      h('dt', null, 'Event types'),
      h(
        'dd',
        null,
        connection.filter.eventTypes.length
          ? h(
              'ul',
              { class: 'chips' },
              connection.filter.eventTypes.map((type) => h('li', { class: 'chip mono' }, type)),
            )
          : h('span', { class: 'muted' }, 'None'),
      ),
      record
        ? [
            h('dt', null, 'Record callback'),
            h(
              'dd',
              null,
              h('span', { class: 'mono' }, record.model),
              ` on ${record.operations.join(', ')}; fields `,
              h('span', { class: 'mono' }, record.fields.join(', ')),
            ),
          ]
        : null,
      h('dt', null, 'Reminder rule'),
      h(
        'dd',
        null,
        connection.filter.reminderRuleId
          ? h('span', { class: 'mono' }, connection.filter.reminderRuleId)
          : h('span', { class: 'muted' }, 'Every reminder'),
      ),
      h('dt', null, 'Headers'),
      h(
        'dd',
        null,
        headerNames.length
          ? h(
              'ul',
              { class: 'plain' },
              headerNames.map((name) =>
                h('li', { class: 'mono' }, `${name}: `, h('span', { class: 'muted' }, '•'.repeat(8))),
              ),
            )
          : h('span', { class: 'muted' }, 'None'),
      ),
      h('dt', null, 'Retry policy'),
      h('dd', null, retryText(connection)),
      h('dt', null, 'Requests in flight'),
      h(
        'dd',
        null,
        `At most ${connection.maxInFlight}${connection.rateLimit === undefined ? '' : `, ${connection.rateLimit} per second`}`,
      ),
      h('dt', null, 'Failures in a row'),
      h('dd', null, String(connection.consecutiveFailures)),
      h('dt', null, 'Created'),
      h('dd', null, time(connection.createdAt)),
      h('dt', null, 'Changed'),
      h('dd', null, time(connection.updatedAt)),
    ),
  ]);

  // ----- deliveries -----
  const since = h('input', {
    type: 'datetime-local',
    value: localInput(new Date(Date.now() - 24 * 3600_000)),
    required: true,
  });
  /** @param {SubmitEvent} event */
  const recover = async (event) => {
    event.preventDefault();
    try {
      const result = await api.recover(connection.id, new Date(since.value));
      toast(
        result.recovered
          ? `${plural(result.recovered, 'failed delivery', 'failed deliveries')} queued again.`
          : 'No failed deliveries since then.',
      );
      context.refresh();
    } catch (error) {
      failed(error);
    }
  };
  const recentBox = h('div');
  /** @param {import('../types.js').Delivery[]} deliveries */
  const renderRecent = (deliveries) =>
    recentBox.replaceChildren(
      deliveries.length
        ? deliveryTable(deliveries, { showConnection: false, compact: true, caption: 'Latest deliveries' })
        : h('p', { class: 'muted' }, 'Nothing delivered yet.'),
    );
  const showRecent = async () => {
    try {
      renderRecent((await api.listDeliveries({ connectionId: id, limit: 10 })).data);
    } catch (error) {
      failed(error);
    }
  };
  renderRecent(recent.data);
  const deliveriesCard = card(
    'Latest deliveries',
    [
      recentBox,
      h(
        'form',
        { class: 'inline-form recover-form', onSubmit: recover },
        field(
          'Recover failed deliveries since',
          since,
          'Sends again every failed delivery created since then, in order.',
        ),
        h('button', { type: 'submit', class: 'button secondary' }, 'Recover'),
      ),
    ],
    {
      actions: [
        h(
          'a',
          { href: `#/deliveries?connectionId=${encodeURIComponent(connection.id)}`, class: 'button secondary small' },
          'Open the delivery log',
        ),
      ],
    },
  );

  const remove = async () => {
    const ok = await confirmDialog(
      `Delete ${connection.name}?`,
      [
        h(
          'p',
          null,
          'The connection stops receiving events at once. Its pending and held deliveries are discarded. This cannot be undone.',
        ),
      ],
      'Delete connection',
      'danger',
    );
    if (!ok) return;
    try {
      await api.deleteConnection(connection.id);
      secrets.delete(connection.id);
      toast(`${connection.name} was deleted.`);
      context.navigate('#/connections');
    } catch (error) {
      failed(error);
    }
  };

  return h(
    'div',
    null,
    pageHeader(connection.name, {
      crumbs: [['#/connections', 'Connections']],
      after: [' ', badge(connection.status)],
      actions: [
        h('a', { href: `#/connections/${encodeURIComponent(connection.id)}/edit`, class: 'button secondary' }, 'Edit'),
        h('button', { type: 'button', class: 'button danger-outline', onClick: remove }, 'Delete'),
      ],
    }),
    h('p', { class: 'subtitle mono' }, connection.url),
    connection.description ? h('p', { class: 'muted' }, connection.description) : null,
    message,
    connection.status === 'blocked'
      ? h(
          'div',
          { class: 'notice notice-warning notice-row' },
          h(
            'p',
            null,
            h('strong', null, 'This connection is blocked. '),
            'Its new events are held until you unblock it.',
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'button warning',
              onClick: async () => {
                try {
                  if (await unblockFlow(connection)) context.refresh();
                } catch (error) {
                  failed(error);
                }
              },
            },
            'Unblock',
          ),
        )
      : null,
    h('div', { class: 'grid-2' }, testCard, credentialsCard, settingsCard, deliveriesCard),
  );
}

/** The receiver's answer to a test send. @param {TestResult} result */
function testAnswer(result) {
  return h(
    'div',
    { class: `answer ${result.ok ? 'answer-ok' : 'answer-failed'}` },
    h(
      'p',
      null,
      httpBadge(result.status, result.error),
      ' ',
      h(
        'strong',
        null,
        result.status !== undefined
          ? `Receiver answered ${result.status} in ${Math.round(result.durationMs)} ms`
          : `No answer after ${Math.round(result.durationMs)} ms`,
      ),
      result.error ? h('span', { class: 'muted' }, ` — ${result.error}`) : null,
    ),
    result.responseBody !== undefined
      ? [
          h('h3', { class: 'small-title' }, 'Response body'),
          h('pre', { class: 'code' }, pretty(result.responseBody) || '(empty)'),
        ]
      : null,
    h(
      'p',
      { class: 'small' },
      h('a', { href: `#/deliveries/${encodeURIComponent(result.deliveryId)}` }, 'See this test in the delivery log'),
    ),
  );
}
