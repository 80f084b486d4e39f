// @ts-check
// The overview: deliveries of the last 24 hours by outcome, and the connections at a glance.
import { api } from '../api.js';
import { badge, card, empty, h, plural, svg } from '../ui.js';

/**
 * @typedef {import('../types.js').RouteContext} RouteContext
 * @typedef {import('../types.js').Delivery} Delivery
 * @typedef {import('../types.js').DeliveryStatus} DeliveryStatus
 * @typedef {import('../types.js').Connection} Connection
 */

/** Stacking order of the chart, bottom up. @type {DeliveryStatus[]} */
export const outcomes = ['succeeded', 'failed', 'held', 'pending', 'discarded'];

const HOUR = 3600_000;

/**
 * Deliveries per hour and outcome over the 24 hours ending with the current hour.
 * @param {Delivery[]} deliveries
 * @param {number} now
 */
export function hourlyCounts(deliveries, now) {
  const end = Math.floor(now / HOUR) * HOUR + HOUR;
  const start = end - 24 * HOUR;
  const bins = Array.from({ length: 24 }, (_, index) => ({
    start: start + index * HOUR,
    /** @type {Record<DeliveryStatus, number>} */
    counts: { succeeded: 0, failed: 0, held: 0, pending: 0, discarded: 0 },
  }));
  for (const delivery of deliveries) {
    const at = new Date(delivery.createdAt).getTime();
    const bin = bins[Math.floor((at - start) / HOUR)];
    if (bin) bin.counts[delivery.status] += 1;
  }
  return bins;
}

/** A rounded-up axis maximum: 1, 2, 5, 10, 20, 50… @param {number} value */
function niceMax(value) {
  if (value <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

const hourFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });

/** @param {ReturnType<typeof hourlyCounts>} bins @param {Record<DeliveryStatus, number>} totals */
function chart(bins, totals) {
  const width = 720;
  const height = 220;
  const left = 36;
  const bottom = 24;
  const top = 8;
  const plotHeight = height - bottom - top;
  const max = niceMax(Math.max(0, ...bins.map((bin) => outcomes.reduce((sum, status) => sum + bin.counts[status], 0))));
  const slot = (width - left) / bins.length;
  const barWidth = Math.max(4, slot * 0.68);
  const y = (/** @type {number} */ value) => top + plotHeight - (value / max) * plotHeight;
  const summary = outcomes.map((status) => `${totals[status]} ${status}`).join(', ');
  const grid = [0, 0.25, 0.5, 0.75, 1].map((fraction) => {
    const value = Math.round(max * fraction);
    return svg(
      'g',
      { class: 'chart-grid' },
      svg('line', { x1: left, x2: width, y1: y(value), y2: y(value) }),
      svg('text', { x: left - 6, y: y(value) + 4, 'text-anchor': 'end' }, String(value)),
    );
  });
  const bars = bins.map((bin, index) => {
    const x = left + index * slot + (slot - barWidth) / 2;
    let base = 0;
    const label = `${hourFormat.format(bin.start)}–${hourFormat.format(bin.start + HOUR)}: ${
      outcomes
        .filter((status) => bin.counts[status] > 0)
        .map((status) => `${bin.counts[status]} ${status}`)
        .join(', ') || 'no deliveries'
    }`;
    return svg(
      'g',
      null,
      svg('title', null, label),
      svg('rect', { x: x - (slot - barWidth) / 2, y: top, width: slot, height: plotHeight, class: 'chart-hover' }),
      outcomes.map((status) => {
        const count = bin.counts[status];
        if (count === 0) return null;
        const rect = svg('rect', {
          x,
          y: y(base + count),
          width: barWidth,
          height: Math.max(1, y(base) - y(base + count)),
          class: `bar bar-${status}`,
          rx: 2,
        });
        base += count;
        return rect;
      }),
      index % 3 === 0
        ? svg(
            'text',
            { x: x + barWidth / 2, y: height - 6, 'text-anchor': 'middle', class: 'chart-axis' },
            hourFormat.format(bin.start),
          )
        : null,
    );
  });
  return svg(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      class: 'chart',
      role: 'img',
      'aria-label': `Deliveries per hour over the last 24 hours: ${summary}`,
    },
    grid,
    bars,
  );
}

/** @param {RouteContext} _context */
export async function homePage(_context) {
  const now = Date.now();
  const [connections, recent] = await Promise.all([
    api.listConnections(),
    api.deliveriesSince(new Date(now - 24 * HOUR)),
  ]);
  const bins = hourlyCounts(recent.data, now);
  /** @type {Record<DeliveryStatus, number>} */
  const totals = { succeeded: 0, failed: 0, held: 0, pending: 0, discarded: 0 };
  for (const delivery of recent.data) totals[delivery.status] += 1;
  const total = recent.data.length;
  const successRate =
    totals.succeeded + totals.failed > 0
      ? Math.round((totals.succeeded / (totals.succeeded + totals.failed)) * 100)
      : null;

  /** @type {Record<string, number>} */
  const byStatus = { active: 0, inactive: 0, blocked: 0 };
  for (const connection of connections) byStatus[connection.status] = (byStatus[connection.status] ?? 0) + 1;

  const legend = h(
    'ul',
    { class: 'legend', 'aria-label': 'Deliveries in the last 24 hours by outcome' },
    outcomes.map((status) =>
      h(
        'li',
        null,
        h(
          'a',
          { href: `#/deliveries?status=${status}` },
          h('span', { class: `swatch bar-${status}`, 'aria-hidden': 'true' }),
          h('span', { class: 'legend-label' }, status[0]?.toUpperCase() + status.slice(1)),
          h('strong', { class: 'legend-count' }, String(totals[status])),
        ),
      ),
    ),
  );

  const deliveriesCard = card(
    'Deliveries in the last 24 hours',
    [
      h(
        'div',
        { class: 'stats' },
        h(
          'div',
          { class: 'stat' },
          h('span', { class: 'stat-value' }, String(total)),
          h('span', { class: 'stat-label' }, recent.complete ? 'deliveries' : 'deliveries (latest shown)'),
        ),
        h(
          'div',
          { class: 'stat' },
          h('span', { class: 'stat-value' }, successRate === null ? '—' : `${successRate}%`),
          h('span', { class: 'stat-label' }, 'of finished deliveries succeeded'),
        ),
      ),
      total === 0
        ? empty('No deliveries in the last 24 hours.')
        : h('figure', { class: 'chart-figure' }, chart(bins, totals)),
      legend,
    ],
    { actions: [h('a', { href: '#/deliveries', class: 'button secondary small' }, 'Open the delivery log')] },
  );

  const tiles = h(
    'ul',
    { class: 'tiles', 'aria-label': 'Connections by status' },
    ['active', 'inactive', 'blocked'].map((status) =>
      h(
        'li',
        null,
        h(
          'a',
          { href: `#/connections?status=${status}`, class: `tile tile-${status}` },
          h('span', { class: 'tile-value' }, String(byStatus[status] ?? 0)),
          h('span', { class: 'tile-label' }, status[0]?.toUpperCase() + status.slice(1)),
        ),
      ),
    ),
  );

  const glance = connections.length
    ? h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table' },
          h('caption', { class: 'visually-hidden' }, 'Connections at a glance'),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', { scope: 'col' }, 'Connection'),
              h('th', { scope: 'col' }, 'Status'),
              h('th', { scope: 'col', class: 'num', title: 'Failed requests in a row' }, 'Failures'),
            ),
          ),
          h(
            'tbody',
            null,
            [...connections]
              .sort((a, b) => rank(a) - rank(b))
              .slice(0, 8)
              .map((connection) =>
                h(
                  'tr',
                  null,
                  h(
                    'td',
                    null,
                    h('a', { href: `#/connections/${encodeURIComponent(connection.id)}` }, connection.name),
                    h('div', { class: 'muted small mono truncate', title: connection.url }, connection.url),
                  ),
                  h('td', null, badge(connection.status)),
                  h('td', { class: 'num' }, String(connection.consecutiveFailures)),
                ),
              ),
          ),
        ),
      )
    : empty('No connections yet. A connection sends the events you choose to one of your URLs.', [
        h('a', { href: '#/connections/new', class: 'button primary' }, 'Create your first connection'),
      ]);

  const connectionsCard = card('Connections at a glance', [tiles, glance], {
    actions: [
      h(
        'a',
        { href: '#/connections', class: 'button secondary small' },
        `All ${plural(connections.length, 'connection')}`,
      ),
    ],
  });

  return h(
    'div',
    null,
    h('header', { class: 'page-header' }, h('div', { class: 'page-title-row' }, h('h1', null, 'Overview'))),
    h('div', { class: 'grid-home' }, deliveriesCard, connectionsCard),
  );
}

/** Blocked first, then active, then inactive. @param {Connection} connection */
function rank(connection) {
  return { blocked: 0, active: 1, inactive: 2 }[connection.status];
}
