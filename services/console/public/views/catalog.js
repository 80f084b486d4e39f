// @ts-check
// The event catalog: every type with its description, initiator, schema and example.
import { api } from '../api.js';
import { copy, empty, field, h, pageHeader, pretty, select } from '../ui.js';

/**
 * @typedef {import('../types.js').RouteContext} RouteContext
 * @typedef {import('../types.js').EventType} EventType
 */

/** @type {Record<string, string>} */
const domainLabels = {
  marketplace: 'Marketplace (BIYRO)',
  accounting: 'Accounting (Robolabs)',
  coworking: 'Coworking (Conexa)',
  hookline: 'Hookline platform',
};

/** @param {EventType} type */
function typeCard(type) {
  const example = pretty(type.example);
  return h(
    'details',
    { class: 'type-card' },
    h(
      'summary',
      null,
      h('span', { class: 'mono type-name' }, type.type),
      h('span', { class: 'type-description' }, type.description),
      h(
        'span',
        { class: 'tags' },
        h('span', { class: 'tag' }, `by ${type.initiator}`),
        type.custom ? h('span', { class: 'tag tag-custom' }, 'custom') : null,
      ),
    ),
    h(
      'div',
      { class: 'type-body' },
      h(
        'p',
        { class: 'muted small' },
        'Name in the source product: ',
        h('strong', null, type.sourceName),
        '. ',
        h('a', { href: `#/deliveries?eventType=${encodeURIComponent(type.type)}` }, 'See its deliveries'),
      ),
      h(
        'div',
        { class: 'grid-2 tight' },
        h(
          'section',
          { 'aria-label': `Example of ${type.type}` },
          h(
            'div',
            { class: 'card-head' },
            h('h3', null, 'Example'),
            h(
              'button',
              { type: 'button', class: 'button ghost small', onClick: () => copy(example, 'Example') },
              'Copy',
            ),
          ),
          h('pre', { class: 'code', tabindex: 0 }, example),
        ),
        h(
          'section',
          { 'aria-label': `Schema of ${type.type}` },
          h(
            'div',
            { class: 'card-head' },
            h('h3', null, 'Schema of data'),
            h(
              'button',
              { type: 'button', class: 'button ghost small', onClick: () => copy(pretty(type.schema), 'Schema') },
              'Copy',
            ),
          ),
          h('pre', { class: 'code', tabindex: 0 }, pretty(type.schema)),
        ),
      ),
    ),
  );
}

/** @param {RouteContext} context */
export async function catalogPage(context) {
  const catalog = await api.eventTypes();
  const domains = [...new Set(catalog.map((type) => type.domain))];
  const search = h('input', {
    type: 'search',
    value: context.query.get('search') ?? '',
    placeholder: 'charge, invoice, offer…',
    autocomplete: 'off',
  });
  const domain = select(
    [
      ['', 'Every domain'],
      ...domains.map((name) => /** @type {[string, string]} */ ([name, domainLabels[name] ?? name])),
    ],
    context.query.get('domain') ?? '',
  );
  const count = h('p', { class: 'muted', 'aria-live': 'polite' });
  const list = h('div', { class: 'catalog' });

  const render = () => {
    const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const found = catalog.filter(
      (type) =>
        (!domain.value || type.domain === domain.value) &&
        words.every((word) => `${type.type} ${type.description} ${type.initiator}`.toLowerCase().includes(word)),
    );
    count.textContent = `${found.length} of ${catalog.length} event types`;
    const groups = domains
      .map((name) => ({ name, types: found.filter((type) => type.domain === name) }))
      .filter((group) => group.types.length > 0);
    list.replaceChildren(
      ...(groups.length === 0
        ? [empty('No event type matches.')]
        : groups.map((group) =>
            h(
              'section',
              { class: 'catalog-group', 'aria-label': domainLabels[group.name] ?? group.name },
              h('h2', null, domainLabels[group.name] ?? group.name),
              group.types.map(typeCard),
            ),
          )),
    );
  };
  search.addEventListener('input', render);
  domain.addEventListener('change', render);
  render();

  return h(
    'div',
    null,
    pageHeader('Event catalog'),
    h(
      'p',
      { class: 'lead' },
      'Every event type a connection can receive: what it means, who causes it, the JSON Schema of its data and an example.',
    ),
    h(
      'div',
      { class: 'filters card', role: 'search', 'aria-label': 'Search the catalog' },
      field('Search event types', search),
      field('Domain', domain),
    ),
    count,
    list,
  );
}
