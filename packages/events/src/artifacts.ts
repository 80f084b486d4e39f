// The generated artifacts of the event catalog, built as strings: no I/O here.
//
// `buildArtifacts()` returns a Map from a path RELATIVE TO THE REPOSITORY ROOT,
// with `/` separators, to the file's full content:
//
//   packages/events/schemas/<type>.json   one JSON Schema (draft 2020-12) per event type
//   packages/events/asyncapi.yaml         the AsyncAPI 3.0.0 document of the Kafka topics
//   docs/events.md                        the catalog for humans
//
// `scripts/generate.ts` writes the map (and deletes schema files of types that
// left the catalog); `artifacts.test.ts` compares it with the committed files,
// so a catalog change without `npm run generate -w @hookline/events` fails `npm test`.
//
// JSON Schema conversion: `z.toJSONSchema` with `io: 'input'` and
// `unrepresentable: 'throw'`.
// - The catalog has no transforms, pipes, defaults or coercions, so input and
//   output only differ in `additionalProperties: false`, which output mode adds
//   to every object. Input mode describes what `validateEvent` accepts (objects
//   strip unknown keys rather than reject them), so receivers that validate with
//   these schemas keep accepting events when a field is added later.
// - `unrepresentable: 'throw'` (the default, stated explicitly): a zod construct
//   JSON Schema cannot express makes generation fail instead of turning into a
//   silent `{}`; `assertConstrained` also rejects any unconstrained node.
// - Refinements (`superRefine`: invoice totals, snapshot ids, changedFields, …)
//   are not representable and zod leaves them out; the nodes that carry one get
//   a `$comment` saying so. `validateEvent` from @hookline/events checks them.
//
// Everything is deterministic: schemas keep the zod field order, examples use
// fixed ids, times and tenants, and the order of types is the catalog's.
import { createHash } from 'node:crypto';
import { stringify as toYaml } from 'yaml';
import { z } from 'zod';
import { robolabsCallbackBody } from './accounting/callback.js';
import { recordModels } from './accounting/models.js';
import { catalog, deadLetterTopic, domainTopics, topicFor } from './catalog.js';
import { coworkingDeviations } from './coworking/deviations.js';
import { domains, type Domain, type EventDefinition } from './define.js';
import { deadLetterCodes, deadLetterHeaders } from './dead-letter.js';
import { cloudEventsContentType, envelopeSchema } from './envelope.js';
import { eventSubject, subjectRules } from './subject.js';

// ---------------------------------------------------------------------------
// Paths and fixed example values
// ---------------------------------------------------------------------------

/** Where the artifacts live, relative to the repository root. */
export const artifactPaths = {
  schemasDir: 'packages/events/schemas',
  asyncapi: 'packages/events/asyncapi.yaml',
  docs: 'docs/events.md',
} as const;

export function schemaPath(type: string): string {
  return `${artifactPaths.schemasDir}/${type}.json`;
}

export const generatedBy = 'packages/events/scripts/generate.ts';
export const regenerateCommand = 'npm run generate -w @hookline/events';

/** The fixed envelope values of every example. */
export const exampleValues = {
  time: '2026-01-15T10:00:00Z',
  // A tenant id as the dispatcher makes them (`ten_` + 32 hex digits): events name the id, never the name.
  tenant: 'ten_0c5a4e1f9b2d47c8a3e6f1b9d2c7a4e5',
  // The example of the W3C Trace Context specification.
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
} as const;

/** Fallback actors of examples whose data does not name one. */
const exampleActors: Record<EventDefinition['initiator'], string> = {
  seller: 'seller:42',
  buyer: 'buyer:7',
  seller_or_buyer: 'seller:42',
  user: 'user:15',
  system: 'system',
};

/** Descriptions of the envelope attributes `envelopeSchema` leaves undescribed. */
const envelopeDescriptions: Record<string, string> = {
  specversion: 'CloudEvents specification version: always 1.0.',
  type: 'The event type, <domain>.<entity>.<action>.',
  datacontenttype: 'Content type of data: always application/json.',
  traceparent:
    'Extension (distributed tracing): W3C traceparent of the operation that produced the event; also a Kafka header.',
  tracestate: 'Extension (distributed tracing): W3C tracestate accompanying traceparent; also a Kafka header.',
  partitionkey: 'Extension: the Kafka partition key, always equal to subject (the dispatcher sets it from the key).',
  data: "The event's payload; its schema depends on the type.",
};

/** CloudEvents 1.0 context attributes; every other envelope attribute is an extension. */
const coreAttributes = new Set([
  'specversion',
  'id',
  'source',
  'type',
  'time',
  'subject',
  'datacontenttype',
  'dataschema',
  'data',
]);

const domainLabels: Record<Domain, string> = {
  marketplace: 'Marketplace (BIYRO)',
  accounting: 'Accounting (Robolabs)',
  coworking: 'Coworking (Conexa)',
};

// ---------------------------------------------------------------------------
// JSON Schema
// ---------------------------------------------------------------------------

/** The JSON Schema keywords zod emits, as far as this module reads them. */
export interface SchemaNode {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  format?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
  additionalProperties?: SchemaNode | boolean;
  examples?: unknown[];
  [keyword: string]: unknown;
}

export const refinementComment =
  'Further rules apply here that JSON Schema cannot express (zod refinements of the catalog); validateEvent() of @hookline/events checks them.';

function hasRefinement(schema: z.core.$ZodTypes): boolean {
  return (schema._zod.def.checks ?? []).some((check) => check._zod.def.check === 'custom');
}

/** zod → JSON Schema draft 2020-12, input side, failing on anything unrepresentable. */
export function toJsonSchema(schema: z.ZodType): SchemaNode {
  return z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'throw',
    override: ({ zodSchema, jsonSchema }) => {
      if (hasRefinement(zodSchema)) jsonSchema.$comment = refinementComment;
    },
  }) as SchemaNode;
}

const constraining = ['type', 'const', 'enum', 'anyOf', 'oneOf', 'allOf', '$ref', 'not'];

/** Throws on a node that accepts anything (`{}`), so no schema or field is silently empty. */
export function assertConstrained(node: SchemaNode, path: string): void {
  if (!constraining.some((keyword) => keyword in node)) throw new Error(`unconstrained JSON Schema node at ${path}`);
  for (const [key, property] of Object.entries(node.properties ?? {})) assertConstrained(property, `${path}.${key}`);
  if (node.items) assertConstrained(node.items, `${path}[]`);
  if (typeof node.additionalProperties === 'object') assertConstrained(node.additionalProperties, `${path}{}`);
  for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
    node[keyword]?.forEach((variant, i) => assertConstrained(variant, `${path}|${keyword}[${i}]`));
  }
}

/** The envelope with every attribute described (ours where `envelopeSchema` has none), then `overrides` as given. */
function describedEnvelope(overrides: Record<string, z.ZodType> = {}) {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, original] of Object.entries(envelopeSchema.shape as Record<string, z.ZodType>)) {
    const fallback = envelopeDescriptions[name];
    shape[name] = original.description === undefined && fallback !== undefined ? original.describe(fallback) : original;
  }
  return envelopeSchema.extend({ ...shape, ...overrides });
}

/** The envelope of any event, `data` left open: for the docs. */
export function genericEnvelopeSchema(): SchemaNode {
  return toJsonSchema(describedEnvelope());
}

/** A UUID-shaped id derived from the type (RFC 9562 version 8 layout), the same on every run. */
export function exampleId(type: string): string {
  const hex = createHash('sha256').update(`hookline example ${type}`).digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const scalarId = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

/**
 * The subject of an example by its domain's rule (`<tenant id>/<aggregate>`, subject.ts), the
 * aggregate taken from its data; a type whose data does not name it (the charge reminder) takes
 * the aggregate of another example of its entity.
 */
export function exampleSubject(definition: EventDefinition): string {
  const rule = subjectRules[definition.domain];
  const entity = definition.type.split('.')[1];
  const sibling = catalog
    .filter((other) => other.domain === definition.domain && other.type.split('.')[1] === entity)
    .map((other) => rule.aggregateOf(other.type, other.example))
    .find((aggregate) => aggregate !== undefined);
  return eventSubject(
    exampleValues.tenant,
    rule.aggregateOf(definition.type, definition.example) ?? sibling ?? rule.example,
  );
}

function exampleActor(definition: EventDefinition): string {
  const data = definition.example as unknown;
  if (isRecord(data) && isRecord(data.actor) && typeof data.actor.role === 'string' && scalarId(data.actor.id)) {
    return `${data.actor.role}:${scalarId(data.actor.id)}`;
  }
  return exampleActors[definition.initiator];
}

/** The full CloudEvent of a definition's example, with fixed envelope values. */
export function exampleEvent(definition: EventDefinition): Record<string, unknown> {
  const subject = exampleSubject(definition);
  return {
    specversion: '1.0',
    id: exampleId(definition.type),
    source: `/hookline/${definition.domain}`,
    type: definition.type,
    time: exampleValues.time,
    subject,
    datacontenttype: 'application/json',
    tenant: exampleValues.tenant,
    actor: exampleActor(definition),
    traceparent: exampleValues.traceparent,
    partitionkey: subject,
    // A JSON round trip: plain data, no shared references (YAML would turn those into aliases).
    data: JSON.parse(JSON.stringify(definition.example)) as unknown,
  };
}

/** The JSON Schema of one event type: the envelope, `type` fixed, the data schema under `data`. */
export function eventSchema(definition: EventDefinition): SchemaNode {
  const type = z.literal(definition.type).describe(`The event type: always '${definition.type}'.`);
  const converted = toJsonSchema(describedEnvelope({ type, data: definition.data }));
  assertConstrained(converted, definition.type);
  const data = converted.properties?.data;
  if (!data || (!data.properties && !data.oneOf && !data.anyOf))
    throw new Error(`${definition.type}: data has no fields in JSON Schema`);
  const { $schema, ...rest } = converted;
  return {
    $schema,
    $comment: `Generated by ${generatedBy} from the zod schemas of @hookline/events; do not edit.`,
    title: definition.type,
    description: definition.description,
    'x-initiator': definition.initiator,
    'x-source-name': definition.sourceName,
    'x-topic': topicFor(definition.type),
    ...rest,
    examples: [exampleEvent(definition)],
  };
}

export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

// ---------------------------------------------------------------------------
// AsyncAPI 3.0.0
// ---------------------------------------------------------------------------

export const deadLetterChannel = 'deadLetter';
const jsonSchemaFormat = 'application/schema+json;version=2020-12';

function messageTitle(type: string): string {
  const [, entity = '', action = ''] = type.split('.');
  const words = `${entity} ${action}`.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function extensionAttributes(): Array<[string, string]> {
  const envelope = genericEnvelopeSchema();
  return Object.entries(envelope.properties ?? {})
    .filter(([name]) => !coreAttributes.has(name))
    .map(([name, property]) => [name, (property.description ?? '').replace(/^Extension(?: \([^)]*\))?:\s*/, '')]);
}

function asyncApiDescription(): string {
  const extensions = extensionAttributes()
    .map(([name, description]) => `- \`${name}\`: ${description}`)
    .join('\n');
  return [
    'The events Hookline publishes on Kafka, one topic per domain (marketplace: BIYRO, accounting: Robolabs, coworking: Conexa).',
    '',
    `Every event is a CloudEvents 1.0 event in structured content mode: the Kafka message value is the whole event as JSON and the \`content-type\` header is \`${cloudEventsContentType}\`. The Kafka key is the event's \`subject\` (and its \`partitionkey\`), \`<tenant id>/<aggregate>\`, so the events of one aggregate stay in order on one partition: produce with a murmur2 partitioner (the Java client's and kafkajs' default; librdkafka \`partitioner=murmur2_random\`). A message without a key is dead-lettered. \`traceparent\` and \`tracestate\` travel both as attributes and as Kafka headers.`,
    '',
    'The subject per domain:',
    subjectRuleLines().join('\n'),
    '',
    'Extension attributes:',
    extensions,
    '',
    `Each message's payload is the JSON Schema (draft 2020-12) in \`schemas/<type>.json\`, generated from the zod schemas of @hookline/events. Messages the dispatcher cannot accept go to \`${deadLetterTopic}\`.`,
  ].join('\n');
}

/** The subject rule of each domain, as Markdown list items. */
function subjectRuleLines(): string[] {
  return domains.map((domain) => {
    const rule = subjectRules[domain];
    return `- ${domain}: \`<tenant id>/${rule.form}\`, e.g. \`${eventSubject(exampleValues.tenant, rule.example)}\` — ${rule.description}.`;
  });
}

/** The headers the dispatcher adds to a dead letter (the original headers are kept beside them). */
function deadLetterHeadersSchema(): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      [deadLetterHeaders.code]: {
        type: 'string',
        enum: Object.keys(deadLetterCodes),
        description:
          'Why, as a stable machine code (more may be added): ' +
          Object.entries(deadLetterCodes)
            .map(([code, meaning]) => `${code}: ${meaning}`)
            .join(' '),
      },
      [deadLetterHeaders.reason]: {
        type: 'string',
        maxLength: 1000,
        description:
          'Why, for people: one line that names every broken field and rule. Free text (commas included): read the code and the issues instead of parsing it.',
      },
      [deadLetterHeaders.issues]: {
        type: 'string',
        contentMediaType: 'application/json',
        description:
          'When fields or rules are broken: a JSON array of {path, rule, message}, as many whole issues as fit in 1000 bytes.',
      },
      [deadLetterHeaders.topic]: { type: 'string', description: 'The topic it was read from.' },
      [deadLetterHeaders.partition]: { type: 'string', description: 'Its partition, in decimal.' },
      [deadLetterHeaders.offset]: { type: 'string', description: 'Its offset, in decimal.' },
    },
    required: [
      deadLetterHeaders.code,
      deadLetterHeaders.reason,
      deadLetterHeaders.topic,
      deadLetterHeaders.partition,
      deadLetterHeaders.offset,
    ],
  };
}

export function asyncApiDocument(version: string): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};

  for (const domain of domains) {
    const definitions = catalog.filter((definition) => definition.domain === domain);
    channels[domain] = {
      address: domainTopics[domain],
      title: `${domainLabels[domain]} events`,
      description: `Every ${domain} event type; the Kafka key is the event's subject, \`<tenant id>/${subjectRules[domain].form}\`.`,
      messages: Object.fromEntries(definitions.map((d) => [d.type, { $ref: `#/components/messages/${d.type}` }])),
    };
    operations[`send${domain.charAt(0).toUpperCase()}${domain.slice(1)}Events`] = {
      action: 'send',
      channel: { $ref: `#/channels/${domain}` },
      title: `Publish ${domain} events`,
      summary: `The ${domain} service (or another producer using @hookline/events) appends an event to ${domainTopics[domain]}.`,
      messages: definitions.map((d) => ({ $ref: `#/channels/${domain}/messages/${d.type}` })),
    };
    for (const definition of definitions) {
      const example = exampleEvent(definition);
      messages[definition.type] = {
        name: definition.type,
        title: messageTitle(definition.type),
        summary: definition.description,
        description: `Source document name: ${definition.sourceName}. Initiator: ${definition.initiator}.`,
        payload: { schemaFormat: jsonSchemaFormat, schema: { $ref: `./schemas/${definition.type}.json` } },
        traits: [{ $ref: '#/components/messageTraits/cloudEvent' }],
        examples: [
          {
            name: 'example',
            summary: `A ${definition.type} event.`,
            headers: { 'content-type': cloudEventsContentType, traceparent: exampleValues.traceparent },
            payload: example,
          },
        ],
      };
    }
  }

  channels[deadLetterChannel] = {
    address: deadLetterTopic,
    title: 'Dead letters',
    description:
      'Messages the dispatcher could not accept (unparsable, invalid, of an unknown type, without a key), with a code and the reason.',
    messages: { deadLetter: { $ref: '#/components/messages/deadLetter' } },
  };
  operations.sendDeadLetters = {
    action: 'send',
    channel: { $ref: `#/channels/${deadLetterChannel}` },
    title: 'Dead-letter a message',
    summary: 'The dispatcher moves a message it cannot accept here and carries on.',
    messages: [{ $ref: `#/channels/${deadLetterChannel}/messages/deadLetter` }],
  };
  messages.deadLetter = {
    name: 'deadLetter',
    title: 'Dead letter',
    summary: 'A message from a domain topic that the dispatcher could not accept, with a code and the reason.',
    headers: deadLetterHeadersSchema(),
    payload: {
      description: 'The rejected message as consumed; it may not be a valid CloudEvent, or valid JSON at all.',
    },
    bindings: {
      kafka: {
        key: { type: 'string', description: 'The key as consumed (absent when it had none).' },
        bindingVersion: '0.5.0',
      },
    },
  };

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Hookline events',
      version,
      description: asyncApiDescription(),
    },
    defaultContentType: cloudEventsContentType,
    servers: {
      local: {
        host: 'localhost:9092',
        protocol: 'kafka',
        description: 'A local Kafka broker; services find theirs through KAFKA_BROKERS.',
      },
    },
    channels,
    operations,
    components: {
      messages,
      messageTraits: {
        cloudEvent: {
          contentType: cloudEventsContentType,
          headers: {
            type: 'object',
            properties: {
              'content-type': {
                type: 'string',
                const: cloudEventsContentType,
                description: 'Structured content mode.',
              },
              traceparent: { type: 'string', description: 'W3C trace context, the same as the traceparent attribute.' },
              tracestate: { type: 'string', description: 'W3C tracestate, the same as the tracestate attribute.' },
            },
            required: ['content-type'],
          },
          bindings: {
            kafka: {
              key: {
                type: 'string',
                description: "Required: the event's subject (and partitionkey), <tenant id>/<aggregate>.",
              },
              bindingVersion: '0.5.0',
            },
          },
        },
      },
    },
  };
}

export function asyncApiText(version: string): string {
  const header = `# Generated by ${generatedBy} from the event catalog; do not edit.\n`;
  // YAML 1.1 rules for quoting: timestamps, dates, yes/no stay strings for 1.1 parsers (js-yaml) too.
  return header + toYaml(asyncApiDocument(version), { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false });
}

// ---------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------

export interface FieldRow {
  path: string;
  type: string;
  required: string;
  description: string;
}

const code = (text: string): string => `\`${text}\``;
const literal = (value: unknown): string => code(JSON.stringify(value));
const cell = (text: string): string => text.replaceAll('|', '\\|').replace(/\s*\n\s*/g, ' ');
/** Prose in a table cell: also `<…>` kept as text rather than read as HTML. */
const prose = (text: string): string => cell(text).replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function variantsOf(node: SchemaNode): SchemaNode[] | undefined {
  return node.oneOf ?? node.anyOf;
}

/** A short human-readable type: `string (date-time)`, `one of ...`, `object or null`, `array of integer`. */
export function typeLabel(node: SchemaNode): string {
  if (node.const !== undefined) return literal(node.const);
  if (node.enum)
    return `one of ${node.enum.map((value) => (typeof value === 'string' ? code(value) : literal(value))).join(', ')}`;
  const variants = variantsOf(node);
  if (variants) {
    if (variants.every((variant) => variant.properties)) return 'object';
    return [...new Set(variants.map(typeLabel))].join(' or ');
  }
  const types = Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type];
  if (types.length === 0) return 'any';
  return types
    .map((type) => {
      if (type === 'string' && node.format) return `string (${node.format})`;
      if (type === 'array') return node.items ? `array of ${typeLabel(node.items)}` : 'array';
      if (type === 'object' && !node.properties && typeof node.additionalProperties === 'object') {
        return `object (map of ${typeLabel(node.additionalProperties)})`;
      }
      return type;
    })
    .join(' or ');
}

/** Rows for the fields of an object node, nested objects flattened with dotted paths and arrays as `[]`. */
function objectRows(node: SchemaNode, prefix: string): FieldRow[] {
  const rows: FieldRow[] = [];
  const required = new Set(node.required ?? []);
  for (const [key, property] of Object.entries(node.properties ?? {})) {
    const path = `${prefix}${key}`;
    rows.push({
      path,
      type: typeLabel(property),
      required: required.has(key) ? 'yes' : 'no',
      description: property.description ?? '',
    });
    rows.push(...nestedRows(property, path));
  }
  return rows;
}

/** Rows below a field: its object's fields, its array items' fields, its object variants' fields. */
function nestedRows(node: SchemaNode, path: string): FieldRow[] {
  if (node.properties) return objectRows(node, `${path}.`);
  if (node.items) return nestedRows(node.items, `${path}[]`);
  const objects = variantsOf(node)?.filter((variant) => variant.properties);
  if (objects?.length === 1 && objects[0]) return objectRows(objects[0], `${path}.`);
  if (objects && objects.length > 1) return mergedVariantRows(objects, `${path}.`);
  return [];
}

/** The property every variant fixes to a different `const`: the union's discriminator. */
function discriminatorOf(variants: SchemaNode[]): string | undefined {
  const first = variants[0]?.properties ?? {};
  return Object.keys(first).find((key) => {
    const values = variants.map((variant) => variant.properties?.[key]?.const);
    return (
      values.every((value) => value !== undefined) &&
      new Set(values.map((value) => JSON.stringify(value))).size === values.length
    );
  });
}

/** One table for the variants of a union of objects: each field once, with when it is present. */
function mergedVariantRows(variants: SchemaNode[], prefix: string): FieldRow[] {
  const discriminator = discriminatorOf(variants);
  const perVariant = variants.map((variant) => new Map(objectRows(variant, prefix).map((row) => [row.path, row])));
  const paths = [...new Set(perVariant.flatMap((rows) => [...rows.keys()]))];
  const inAll = (path: string): boolean => perVariant.every((rows) => rows.has(path));
  // `invoice.id` under a conditional `invoice`: the condition is stated once, on `invoice`.
  const underConditional = (path: string): boolean => {
    const parent = path.slice(0, Math.max(0, path.lastIndexOf('.'))).replace(/(\[\])+$/, '');
    return parent.length > prefix.length && paths.includes(parent) && !inAll(parent);
  };
  return paths.map((path) => {
    const present = perVariant.map((rows) => rows.get(path));
    const rows = present.filter((row): row is FieldRow => row !== undefined);
    const types = [...new Set(rows.map((row) => row.type))];
    const descriptions = [...new Set(rows.map((row) => row.description).filter((text) => text !== ''))];
    let required: string;
    if (rows.length === variants.length) {
      required = rows.every((row) => row.required === 'yes')
        ? 'yes'
        : rows.some((row) => row.required === 'yes')
          ? 'in some variants'
          : 'no';
    } else if (underConditional(path)) {
      required = rows.every((row) => row.required === 'yes') ? 'yes' : 'no';
    } else if (discriminator) {
      const when = variants
        .filter((_, i) => present[i] !== undefined)
        .map((variant) => literal(variant.properties?.[discriminator]?.const))
        .join(' or ');
      const base = rows.every((row) => row.required === 'yes') ? 'yes' : 'no';
      required = `${base}, when ${code(`${prefix}${discriminator}`)} is ${when}`;
    } else {
      required = 'in some variants';
    }
    return { path, type: types.join(' or '), required, description: descriptions.join(' / ') };
  });
}

/** The field rows of a data schema (an object or a union of objects). */
export function fieldRows(data: SchemaNode): FieldRow[] {
  if (data.properties) return objectRows(data, '');
  const objects = variantsOf(data)?.filter((variant) => variant.properties) ?? [];
  return objects.length === 1 && objects[0] ? objectRows(objects[0], '') : mergedVariantRows(objects, '');
}

function fieldTable(rows: FieldRow[], header = 'Field'): string[] {
  return [
    `| ${header} | Type | Required | Description |`,
    '| --- | --- | --- | --- |',
    ...rows.map(
      (row) => `| ${code(row.path)} | ${cell(row.type)} | ${cell(row.required)} | ${prose(row.description)} |`,
    ),
  ];
}

/** GitHub's heading anchor of a heading made of one code span. */
function anchor(type: string): string {
  return type
    .toLowerCase()
    .replace(/[^a-z0-9_ -]/g, '')
    .replaceAll(' ', '-');
}

function envelopeSection(): string[] {
  const envelope = genericEnvelopeSchema();
  const rows = objectRows(envelope, '');
  const first = catalog[0];
  const exampleJson = first ? JSON.stringify(exampleEvent(first), null, 2) : '{}';
  return [
    '## The envelope',
    '',
    `Every event is a [CloudEvents 1.0](https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md) event in **structured content mode**: the Kafka message value is the whole event as JSON, with the Kafka header \`content-type: ${cloudEventsContentType}\`. Nothing depends on other headers surviving, so a message stays self-describing wherever it is copied (dead-letter topic, console tools, replays).`,
    '',
    "- **Kafka key = `subject` = `<tenant id>/<aggregate>`**, for every producer (the domain services and other teams alike): the same string is the Kafka key, the `subject`, the `partitionkey` extension and the stream the producing service appends the event to, so the events of one aggregate stay in order on one partition. The tenant prefix keeps two tenants' records apart; the aggregate is named per domain:",
    '',
    '  | Domain | Subject | Example | The aggregate |',
    '  | --- | --- | --- | --- |',
    ...domains.map((domain) => {
      const rule = subjectRules[domain];
      return `  | ${domain} | \`<tenant id>/${rule.form}\` | \`${eventSubject(exampleValues.tenant, rule.example)}\` | ${prose(rule.description)} |`;
    }),
    '',
    "- **Partitioner**: murmur2 of the key, as the Java client and kafkajs do by default. librdkafka-based clients (kcat, confluent-kafka for Python, Go, .NET) must set `partitioner=murmur2_random`: their default, `consistent_random` (CRC32), puts most keys on another partition, and an aggregate's events produced by two clients would then lose their order.",
    '- **A message without a key is refused**: it is dead-lettered (code `missing_key`), as is one whose key differs from its subject (`key_mismatch`).',
    `- **\`tenant\`**: the tenant's id — \`ten_\` and 32 hex digits, as \`POST /v1/tenants\` answers it (e.g. \`${exampleValues.tenant}\`) — not its name. An event naming no existing tenant matches no connection: it is not dead-lettered, only counted (\`hookline_dispatcher_events_unmatched_total\`).`,
    "- **`id`**: unique per event, and the same when it is sent again: the dispatcher makes one delivery per event id and connection, so a producer's retry (or a replay) delivers nothing twice.",
    '- **`actor`**: who caused it, e.g. `seller:42`, `buyer:7`, `user:15`, `system`.',
    '- **`traceparent` / `tracestate`**: the W3C trace context of the producing operation, as CloudEvents distributed-tracing extension attributes and as Kafka headers (where OpenTelemetry looks for them).',
    '',
    'Another team producing these events without the producer library: [producers.md](producers.md) has the whole contract, with kcat and Python examples.',
    '',
    ...fieldTable(rows, 'Attribute'),
    '',
    `An event (\`${first?.type ?? ''}\`, the same example as in its JSON Schema):`,
    '',
    '```json',
    exampleJson,
    '```',
    '',
  ];
}

function topicsSection(): string[] {
  return [
    '## Topics',
    '',
    '| Topic | Carries | Kafka key | Event types |',
    '| --- | --- | --- | --- |',
    ...domains.map(
      (domain) =>
        `| ${code(domainTopics[domain])} | ${domainLabels[domain]} events | \`subject\`: \`<tenant id>/${subjectRules[domain].form}\` | ${catalog.filter((d) => d.domain === domain).length} |`,
    ),
    `| ${code(deadLetterTopic)} | Messages the dispatcher could not accept (unparsable, invalid, unknown type, no key), with a code and the reason ([dispatcher.md](dispatcher.md#dead-letters)) | as received | — |`,
    '',
    'Other teams publishing their own domains through the producer library get `hookline.<domain>`.',
    '',
  ];
}

function validationSection(): string[] {
  return [
    '## Validating with the JSON Schemas',
    '',
    `\`packages/events/schemas/<type>.json\` holds one JSON Schema (draft 2020-12) per event type, generated from the zod schemas: the whole envelope, \`type\` fixed by \`const\`, the payload under \`data\`, and one complete example under \`examples\`. \`x-initiator\`, \`x-source-name\` and \`x-topic\` repeat the catalog entry. [\`packages/events/asyncapi.yaml\`](../packages/events/asyncapi.yaml) (AsyncAPI 3.0.0) describes the topics and references these schemas as message payloads.`,
    '',
    'With [Ajv](https://ajv.js.org/) (`x-` keywords registered so strict mode accepts them):',
    '',
    '```ts',
    "import { readFileSync } from 'node:fs';",
    "import { Ajv2020 } from 'ajv/dist/2020.js';",
    "import addFormats from 'ajv-formats';",
    '',
    'const ajv = new Ajv2020({ allErrors: true });',
    'addFormats.default(ajv);',
    "ajv.addVocabulary(['x-initiator', 'x-source-name', 'x-topic']);",
    "const schema = JSON.parse(readFileSync('packages/events/schemas/marketplace.project.active_signed.json', 'utf8'));",
    'const validate = ajv.compile(schema);',
    'if (!validate(event)) console.error(validate.errors);',
    '```',
    '',
    `Some rules cannot be expressed in JSON Schema (invoice totals, matching ids, \`changedFields\` listing exactly the changed fields, …); the schema nodes they apply to carry a \`$comment\` saying so. \`validateEvent()\` of \`@hookline/events\` checks everything.`,
    '',
    '## Producing events',
    '',
    'Services publish with the producer library of `@hookline/events`, which validates each event, wraps it in the envelope and produces it with the subject as key and the murmur2 partitioner: see [packages/events/README.md](../packages/events/README.md). Other clients (kcat, Python, Java, Go): [producers.md](producers.md).',
    '',
  ];
}

function eventSection(definition: EventDefinition): string[] {
  const schema = eventSchema(definition);
  const data = schema.properties?.data;
  if (!data) throw new Error(`${definition.type}: no data schema`);
  return [
    `### ${code(definition.type)}`,
    '',
    definition.description,
    '',
    `- Initiator: ${definition.initiator}`,
    `- Source document name: ${code(definition.sourceName)}`,
    `- Topic: ${code(topicFor(definition.type))}`,
    `- JSON Schema: [${schemaPath(definition.type).replace('packages/events/', '')}](../${schemaPath(definition.type)})`,
    ...(data.description ? ['', `\`data\`: ${data.description}`] : []),
    '',
    ...fieldTable(fieldRows(data)),
    '',
  ];
}

function robolabsCallbackSection(): string[] {
  const body = toJsonSchema(robolabsCallbackBody);
  return [
    '### Robolabs callback body',
    '',
    "A connection set up as a Robolabs callback (atgalinis skambutis) is delivered, instead of the envelope, the body the Robolabs document specifies: built by `robolabsCallbackFor()` from an accounting event's data and the fields the callback selected (Laukai). An update that changed none of the selected fields sends nothing.",
    '',
    ...fieldTable(fieldRows(body)),
    '',
    '| Record model | Label | Selectable fields | Event types |',
    '| --- | --- | --- | --- |',
    ...Object.entries(recordModels).map(
      ([model, info]) =>
        `| ${code(model)} | ${info.label.en} (${info.label.lt}) | ${info.fields.map(code).join(', ')} | ${info.eventTypes.map(code).join(', ')} |`,
    ),
    '',
  ];
}

function deviationsSection(): string[] {
  return [
    '## Deviations from the source documents',
    '',
    'Field names and types that knowingly differ from the source documents, because the documents contain obvious typos:',
    '',
    '| Event type | Documented | Used | Reason |',
    '| --- | --- | --- | --- |',
    ...coworkingDeviations.map(
      (deviation) =>
        `| ${code(deviation.eventType)} | ${code(deviation.documented)} | ${code(deviation.used)} | ${prose(deviation.reason)} |`,
    ),
    '',
  ];
}

export function eventsMarkdown(): string {
  const lines = [
    `<!-- Generated by ${generatedBy} from the event catalog; do not edit. Regenerate with: ${regenerateCommand} -->`,
    '',
    '# Hookline events',
    '',
    `Every event Hookline publishes: ${catalog.length} types in ${domains.length} domains. Domain services append them to Kafka; the dispatcher delivers them as signed webhooks. This page, the JSON Schemas and the AsyncAPI document are generated from the zod schemas of \`@hookline/events\`, the single source of truth.`,
    '',
    ...envelopeSection(),
    ...topicsSection(),
    ...validationSection(),
    '## Event types',
    '',
    'For each type: when it fires, who causes it, its name in the source document, its topic and the fields of `data`. Nested objects are flattened with dotted paths, array items as `[]`; "Required" is relative to the parent object.',
    '',
  ];
  for (const domain of domains) {
    const definitions = catalog.filter((definition) => definition.domain === domain);
    lines.push(`## ${domainLabels[domain]}`, '', `Topic ${code(domainTopics[domain])}.`, '');
    lines.push(
      ...definitions.map(
        (definition) => `- [${code(definition.type)}](#${anchor(definition.type)}): ${definition.description}`,
      ),
      '',
    );
    for (const definition of definitions) lines.push(...eventSection(definition));
    if (domain === 'accounting') lines.push(...robolabsCallbackSection());
  }
  lines.push(...deviationsSection());
  return `${lines.join('\n').trimEnd()}\n`;
}

// ---------------------------------------------------------------------------
// Everything
// ---------------------------------------------------------------------------

export interface BuildOptions {
  /** The AsyncAPI document's info.version: the version of @hookline/events. */
  version: string;
}

/** Every artifact, keyed by its path relative to the repository root. */
export function buildArtifacts(options: BuildOptions): Map<string, string> {
  const artifacts = new Map<string, string>();
  for (const definition of catalog) artifacts.set(schemaPath(definition.type), toJsonText(eventSchema(definition)));
  artifacts.set(artifactPaths.asyncapi, asyncApiText(options.version));
  artifacts.set(artifactPaths.docs, eventsMarkdown());
  return artifacts;
}
