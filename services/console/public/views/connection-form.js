// @ts-check
// Create or edit a connection: receiver, event types picked from the catalog,
// Robolabs record callback, Conexa reminder rule, headers, retry policy.
import { ApiError, api } from '../api.js';
import { checkField, errorBox, field, h, pageHeader, patternMatches, select, toast, uid } from '../ui.js';
import { rememberSecret } from './connection.js';

/**
 * @typedef {import('../types.js').RouteContext} RouteContext
 * @typedef {import('../types.js').Connection} Connection
 * @typedef {import('../types.js').ConnectionInput} ConnectionInput
 * @typedef {import('../types.js').EventType} EventType
 * @typedef {import('../types.js').RecordModel} RecordModel
 */

const defaults = { maxAttempts: 3, windowSeconds: 300, timeoutMs: 15000, backoffSeconds: [30, 120], maxInFlight: 10 };

/** Enter in a search box filters; it does not submit the form. @param {KeyboardEvent} event */
function noSubmit(event) {
  if (event.key === 'Enter') event.preventDefault();
}

/** A number input. @param {number} value @param {number} min @param {number} max @param {string} [step] */
function numberInput(value, min, max, step = '1') {
  return h('input', { type: 'number', value: String(value), min, max, step, required: true, inputmode: 'numeric' });
}

/**
 * The catalog picker: search, tick types, or add a wildcard pattern.
 * @param {EventType[]} catalog
 * @param {string[]} initial
 */
function eventTypePicker(catalog, initial) {
  const selected = new Set(initial);
  const search = h('input', { type: 'search', placeholder: 'e.g. charge, invoice, lead', autocomplete: 'off' });
  const results = h('ul', { class: 'picker-results', 'aria-label': 'Matching event types' });
  const chips = h('ul', { class: 'chips', 'aria-label': 'Selected event types' });
  const pattern = h('input', {
    type: 'text',
    placeholder: 'coworking.charge.*',
    class: 'mono',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const count = h('p', { class: 'help', 'aria-live': 'polite' });

  const renderChips = () => {
    chips.replaceChildren(
      ...(selected.size === 0
        ? [h('li', { class: 'muted small' }, 'No event types selected.')]
        : [...selected].map((type) =>
            h(
              'li',
              { class: 'chip mono' },
              type,
              h(
                'button',
                {
                  type: 'button',
                  class: 'chip-remove',
                  'aria-label': `Remove ${type}`,
                  onClick: () => {
                    selected.delete(type);
                    renderChips();
                    renderResults();
                  },
                },
                '×',
              ),
            ),
          )),
    );
  };

  const renderResults = () => {
    const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const found = catalog.filter((type) =>
      words.every((word) => `${type.type} ${type.description} ${type.initiator}`.toLowerCase().includes(word)),
    );
    count.textContent = `${found.length} of ${catalog.length} event types`;
    results.replaceChildren(
      ...found.slice(0, 60).map((type) => {
        const id = uid('type');
        const covered = [...selected].some((chosen) => chosen !== type.type && patternMatches(chosen, type.type));
        return h(
          'li',
          null,
          h('input', {
            type: 'checkbox',
            id,
            checked: selected.has(type.type) || covered,
            disabled: covered && !selected.has(type.type),
            onChange: (/** @type {Event} */ event) => {
              if (/** @type {HTMLInputElement} */ (event.target).checked) selected.add(type.type);
              else selected.delete(type.type);
              renderChips();
            },
          }),
          h(
            'label',
            { for: id },
            h('span', { class: 'mono' }, type.type),
            h('span', { class: 'picker-description' }, type.description),
            h('span', { class: 'tag' }, type.initiator),
          ),
        );
      }),
    );
  };

  const addPattern = () => {
    const value = pattern.value.trim();
    if (!/^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$/.test(value)) {
      pattern.setCustomValidity('An event type, a prefix ending in .* (coworking.charge.*), or * for everything.');
      pattern.reportValidity();
      return;
    }
    pattern.setCustomValidity('');
    selected.add(value);
    pattern.value = '';
    renderChips();
    renderResults();
  };
  pattern.addEventListener('input', () => pattern.setCustomValidity(''));
  pattern.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      addPattern();
    }
  });
  search.addEventListener('input', renderResults);
  search.addEventListener('keydown', noSubmit);
  renderChips();
  renderResults();

  const element = h(
    'div',
    { class: 'picker' },
    h('div', { class: 'picker-selected' }, h('span', { class: 'label' }, 'Selected'), chips),
    field('Search the event catalog', search),
    count,
    results,
    h(
      'div',
      { class: 'inline-form' },
      field('Add a pattern', pattern, 'A prefix ending in .* receives every type below it; * receives everything.'),
      h('button', { type: 'button', class: 'button secondary', onClick: addPattern }, 'Add pattern'),
    ),
  );
  return { element, value: () => [...selected] };
}

/**
 * The Robolabs record callback settings: model, operations, fields.
 * @param {RecordModel[]} models
 * @param {string[]} operations
 * @param {import('../types.js').RecordFilter | undefined} initial
 */
function recordPicker(models, operations, initial) {
  const enabled = h('input', { type: 'checkbox', checked: Boolean(initial) });
  const model = select(
    models.map((item) => [item.name, `${item.label} (${item.name})`]),
    initial?.model ?? models[0]?.name ?? '',
  );
  const chosenOperations = new Set(initial?.operations ?? ['create', 'update', 'delete']);
  const chosenFields = new Set(initial?.fields ?? []);
  const operationBoxes = h(
    'fieldset',
    { class: 'inline-checks' },
    h('legend', null, 'Operations'),
    operations.map((operation) => {
      const box = h('input', {
        type: 'checkbox',
        checked: chosenOperations.has(operation),
        onChange: (/** @type {Event} */ event) => {
          if (/** @type {HTMLInputElement} */ (event.target).checked) chosenOperations.add(operation);
          else chosenOperations.delete(operation);
        },
      });
      return checkField(operation, box);
    }),
  );
  const fieldFilter = h('input', { type: 'search', placeholder: 'partner, amount, state…', autocomplete: 'off' });
  const fieldList = h('div', { class: 'field-grid' });
  const renderFields = () => {
    const fields = models.find((item) => item.name === model.value)?.fields ?? [];
    const word = fieldFilter.value.trim().toLowerCase();
    fieldList.replaceChildren(
      ...fields
        .filter((name) => !word || name.toLowerCase().includes(word) || chosenFields.has(name))
        .map((name) =>
          checkField(
            name,
            h('input', {
              type: 'checkbox',
              checked: chosenFields.has(name),
              onChange: (/** @type {Event} */ event) => {
                if (/** @type {HTMLInputElement} */ (event.target).checked) chosenFields.add(name);
                else chosenFields.delete(name);
              },
            }),
          ),
        ),
    );
  };
  model.addEventListener('change', () => {
    chosenFields.clear();
    renderFields();
  });
  fieldFilter.addEventListener('input', renderFields);
  fieldFilter.addEventListener('keydown', noSubmit);
  renderFields();
  const settings = h(
    'div',
    { class: 'record-settings', hidden: !initial },
    field('Record model', model),
    operationBoxes,
    h(
      'fieldset',
      { class: 'fields-set' },
      h('legend', null, 'Fields reported'),
      field('Filter fields', fieldFilter),
      fieldList,
      h(
        'p',
        { class: 'help' },
        'An update is sent only when one of these fields changed; the callback carries all of them.',
      ),
    ),
  );
  enabled.addEventListener('change', () => {
    settings.hidden = !enabled.checked;
  });
  return {
    element: h(
      'div',
      null,
      checkField(
        'Send Robolabs record callbacks',
        enabled,
        'The receiver gets { object, operation, id, values, previous_values } for one record model.',
      ),
      settings,
    ),
    /** @returns {import('../types.js').RecordFilter | undefined} */
    value: () =>
      enabled.checked
        ? {
            model: model.value,
            operations: operations.filter((operation) => chosenOperations.has(operation)),
            fields: [...chosenFields],
          }
        : undefined,
  };
}

/**
 * Custom headers, as name/value rows.
 * @param {Record<string, string>} initial
 */
function headerEditor(initial) {
  const rows = h('div', { class: 'header-rows' });
  const addRow = (name = '', value = '') => {
    const index = rows.children.length + 1;
    const nameInput = h('input', {
      type: 'text',
      value: name,
      placeholder: 'X-Api-Key',
      class: 'mono header-name',
      'aria-label': `Header ${index} name`,
      pattern: '[A-Za-z0-9\\-]+',
      autocomplete: 'off',
    });
    const valueInput = h('input', {
      type: 'text',
      value,
      class: 'mono header-value',
      'aria-label': `Header ${index} value`,
      autocomplete: 'off',
      spellcheck: 'false',
    });
    const row = h(
      'div',
      { class: 'header-row' },
      nameInput,
      valueInput,
      h(
        'button',
        {
          type: 'button',
          class: 'button ghost small',
          'aria-label': `Remove header ${index}`,
          onClick: () => row.remove(),
        },
        'Remove',
      ),
    );
    rows.append(row);
    return nameInput;
  };
  for (const [name, value] of Object.entries(initial)) addRow(name, value);
  return {
    element: h(
      'div',
      null,
      rows,
      h('button', { type: 'button', class: 'button secondary small', onClick: () => addRow().focus() }, 'Add header'),
      h(
        'p',
        { class: 'help' },
        'Sent with every request, e.g. an API key of your receiver. Hookline\u2019s own headers (webhook-*, content-type…) cannot be replaced.',
      ),
    ),
    value: () => {
      /** @type {Record<string, string>} */
      const headers = {};
      for (const row of rows.querySelectorAll('.header-row')) {
        const name = /** @type {HTMLInputElement} */ (row.querySelector('.header-name')).value.trim();
        const value = /** @type {HTMLInputElement} */ (row.querySelector('.header-value')).value;
        if (name) headers[name] = value;
      }
      return headers;
    },
  };
}

/** @param {RouteContext} context */
export async function connectionFormPage(context) {
  const id = context.params[0];
  const [existing, catalog, models] = await Promise.all([
    id ? api.getConnection(id) : Promise.resolve(undefined),
    api.eventTypes(),
    api.recordModels(),
  ]);
  const message = h('div');

  const name = h('input', {
    type: 'text',
    required: true,
    maxlength: 200,
    value: existing?.name ?? '',
    autocomplete: 'off',
  });
  const description = h('textarea', { rows: 2, maxlength: 2000 });
  description.value = existing?.description ?? '';
  const url = h('input', {
    type: 'url',
    required: true,
    value: existing?.url ?? '',
    placeholder: 'https://example.com/webhooks',
    class: 'mono',
    autocomplete: 'off',
  });
  const active = h('input', { type: 'checkbox', role: 'switch', checked: existing?.active ?? true });
  const types = eventTypePicker(catalog, existing?.filter.eventTypes ?? []);
  const record = recordPicker(models.models, models.operations, existing?.filter.record);
  const reminderRule = h('input', {
    type: 'text',
    value: existing?.filter.reminderRuleId ?? '',
    class: 'mono',
    autocomplete: 'off',
  });
  const headers = headerEditor(existing?.headers ?? {});
  const retry = existing?.retry ?? defaults;
  const maxAttempts = numberInput(retry.maxAttempts, 1, 20);
  const windowSeconds = numberInput(retry.windowSeconds, 1, 7 * 24 * 3600);
  const timeoutMs = numberInput(retry.timeoutMs, 50, 60000);
  const backoff = h('input', {
    type: 'text',
    value: retry.backoffSeconds.join(', '),
    required: true,
    pattern: '\\s*\\d+(\\.\\d+)?(\\s*,\\s*\\d+(\\.\\d+)?)*\\s*',
    class: 'mono',
  });
  const maxInFlight = numberInput(existing?.maxInFlight ?? defaults.maxInFlight, 1, 256);
  // Empty: no limit.
  const rateLimit = h('input', {
    type: 'number',
    value: existing?.rateLimit === undefined ? '' : String(existing.rateLimit),
    min: '0.1',
    max: '10000',
    step: 'any',
    inputmode: 'decimal',
  });
  const submit = h(
    'button',
    { type: 'submit', class: 'button primary' },
    existing ? 'Save changes' : 'Create connection',
  );

  /** @returns {ConnectionInput} */
  const input = () => {
    const recordFilter = record.value();
    const reminder = reminderRule.value.trim();
    return {
      name: name.value.trim(),
      description: description.value.trim(),
      url: url.value.trim(),
      active: active.checked,
      filter: {
        eventTypes: types.value(),
        ...(recordFilter ? { record: recordFilter } : {}),
        ...(reminder ? { reminderRuleId: reminder } : {}),
      },
      headers: headers.value(),
      retry: {
        maxAttempts: Number(maxAttempts.value),
        windowSeconds: Number(windowSeconds.value),
        timeoutMs: Number(timeoutMs.value),
        backoffSeconds: backoff.value
          .split(',')
          .map((part) => Number(part.trim()))
          .filter((value) => Number.isFinite(value)),
      },
      maxInFlight: Number(maxInFlight.value),
      // Emptied on an edit: the limit goes (null); left empty on a new one: none.
      ...(rateLimit.value.trim() !== ''
        ? { rateLimit: Number(rateLimit.value) }
        : existing?.rateLimit !== undefined
          ? { rateLimit: null }
          : {}),
    };
  };

  /** @param {SubmitEvent} event */
  const save = async (event) => {
    event.preventDefault();
    const body = input();
    if (body.filter.eventTypes.length === 0 && !body.filter.record) {
      message.replaceChildren(
        h(
          'div',
          { class: 'notice notice-error', role: 'alert' },
          'Choose at least one event type, or set up a record callback.',
        ),
      );
      message.scrollIntoView({ block: 'center' });
      return;
    }
    submit.disabled = true;
    message.replaceChildren();
    try {
      if (existing) {
        await api.updateConnection(existing.id, body);
        toast('Changes saved.');
        context.navigate(`#/connections/${encodeURIComponent(existing.id)}`);
      } else {
        const created = await api.createConnection(body);
        if (created.secret) rememberSecret(created.id, created.secret);
        toast('Connection created. Copy its signing secret now: it is shown only once.');
        context.navigate(`#/connections/${encodeURIComponent(created.id)}`);
      }
    } catch (error) {
      message.replaceChildren(
        errorBox(
          error instanceof ApiError && error.issues.length
            ? new ApiError(error.status, error.code, 'The connection was not saved:', error.issues)
            : error,
        ),
      );
      message.scrollIntoView({ block: 'center' });
    } finally {
      submit.disabled = false;
    }
  };

  const cancelHref = existing ? `#/connections/${encodeURIComponent(existing.id)}` : '#/connections';
  return h(
    'div',
    null,
    pageHeader(existing ? `Edit ${existing.name}` : 'New connection', {
      crumbs: existing
        ? [
            ['#/connections', 'Connections'],
            [cancelHref, existing.name],
          ]
        : [['#/connections', 'Connections']],
    }),
    h(
      'form',
      { class: 'connection-form', onSubmit: save, 'aria-label': existing ? 'Edit connection' : 'New connection' },
      message,
      h(
        'fieldset',
        { class: 'card' },
        h('legend', null, 'Receiver'),
        field('Name', name),
        field('Description', description),
        field(
          'URL',
          url,
          'Where Hookline sends the requests (http or https). Addresses inside private networks are refused.',
        ),
        checkField('Active', active, 'An inactive connection receives no new events.'),
      ),
      h(
        'fieldset',
        { class: 'card' },
        h('legend', null, 'Event types'),
        types.element,
        field(
          'Reminder rule',
          reminderRule,
          'Conexa charge reminders: only those of this rule (Regra de Aviso). Empty: every reminder.',
        ),
      ),
      h('fieldset', { class: 'card' }, h('legend', null, 'Accounting record callback'), record.element),
      h('fieldset', { class: 'card' }, h('legend', null, 'Headers'), headers.element),
      h(
        'fieldset',
        { class: 'card' },
        h('legend', null, 'Retry policy'),
        h(
          'div',
          { class: 'grid-fields' },
          field('Attempts per round', maxAttempts),
          field('Retry window (seconds)', windowSeconds),
          field('Timeout per request (ms)', timeoutMs),
          field('Waits between attempts (seconds)', backoff, 'Comma-separated; the last one repeats.'),
          field('Requests in flight at most', maxInFlight),
          field('Requests per second at most', rateLimit, 'Empty: no limit.'),
        ),
        h(
          'p',
          { class: 'help' },
          'After 5 failed requests in a row the connection is blocked and its events are held until you unblock it.',
        ),
      ),
      h('div', { class: 'form-actions' }, submit, h('a', { href: cancelHref, class: 'button ghost' }, 'Cancel')),
    ),
  );
}
