// The generated artifacts (JSON Schemas, AsyncAPI, docs/events.md) are committed;
// these tests fail when they no longer match the catalog, and check that they are right.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  artifactPaths,
  assertConstrained,
  buildArtifacts,
  deadLetterChannel,
  regenerateCommand,
  schemaPath,
  type SchemaNode,
} from './artifacts.js';
import { catalog, deadLetterTopic, domainTopics } from './catalog.js';
import { coworkingDeviations } from './coworking/deviations.js';
import { domains, type EventDefinition } from './define.js';
import { validateEvent } from './envelope.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(packageDir, '..', '..');
const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
const artifacts = buildArtifacts({ version });
const regenerate = `run \`${regenerateCommand}\` and commit the result`;

function committed(path: string): string | undefined {
  const file = join(repoRoot, path);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

function committedSchema(type: string): SchemaNode {
  const text = committed(schemaPath(type));
  if (text === undefined) throw new Error(`${schemaPath(type)} is missing: ${regenerate}`);
  return JSON.parse(text) as SchemaNode;
}

function newAjv() {
  const ajv = new Ajv2020({ allErrors: true });
  addFormats.default(ajv);
  ajv.addVocabulary(['x-initiator', 'x-source-name', 'x-topic']);
  return ajv;
}

/** Fields of `data` every variant requires. */
function requiredDataFields(data: SchemaNode): string[] {
  if (data.required) return data.required;
  const variants = data.oneOf ?? data.anyOf ?? [];
  const [first, ...rest] = variants.map((variant) => variant.required ?? []);
  return (first ?? []).filter((field) => rest.every((required) => required.includes(field)));
}

/** A local `#/…` JSON pointer of the document. */
function resolve(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`not a local reference: ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, token) => (node as Record<string, unknown> | undefined)?.[token], document);
}

describe('generated artifacts', () => {
  it('are committed exactly as the catalog generates them now', () => {
    const stale = [...artifacts].filter(([path, content]) => committed(path) !== content).map(([path]) => path);
    expect(stale, `generated files are stale or missing, ${regenerate}:\n  ${stale.join('\n  ')}\n`).toEqual([]);
  });

  it('hold exactly one JSON Schema file per catalog type', () => {
    const files = readdirSync(join(repoRoot, artifactPaths.schemasDir)).sort();
    const expected = catalog.map((definition) => `${definition.type}.json`).sort();
    expect(files, `${artifactPaths.schemasDir} does not match the catalog, ${regenerate}`).toEqual(expected);
    expect(files).toHaveLength(74);
  });

  it('never let an unconstrained JSON Schema node through', () => {
    expect(() => assertConstrained({ type: 'object', properties: { a: { type: 'string' }, b: {} } }, 'x')).toThrow(
      'x.b',
    );
    expect(() => assertConstrained({ anyOf: [{ type: 'null' }, { description: 'anything' }] }, 'y')).toThrow(
      'y|anyOf[1]',
    );
  });
});

describe.each(catalog.map((definition) => [definition.type, definition] as [string, EventDefinition]))(
  'schemas/%s.json',
  (type, definition) => {
    const schema = committedSchema(type);
    const ajv = newAjv();
    const validate = ajv.compile(schema);
    const example = schema.examples?.[0] as Record<string, unknown>;
    const errorsOf = (): string => ajv.errorsText(validate.errors);

    it('is titled by the type and carries the catalog entry', () => {
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.title).toBe(type);
      expect(schema.description).toBe(definition.description);
      expect(schema['x-initiator']).toBe(definition.initiator);
      expect(schema['x-source-name']).toBe(definition.sourceName);
      expect(schema['x-topic']).toBe(domainTopics[definition.domain]);
      expect(schema.properties?.type?.const).toBe(type);
      expect(schema.required).toEqual(
        expect.arrayContaining(['specversion', 'id', 'source', 'type', 'time', 'subject', 'tenant', 'data']),
      );
      expect(
        Object.keys(schema.properties?.data?.properties ?? schema.properties?.data?.oneOf ?? {}).length,
      ).toBeGreaterThan(0);
    });

    it('accepts its example envelope, which the catalog accepts too', () => {
      expect(schema.examples).toHaveLength(1);
      expect(example).toMatchObject({ type, specversion: '1.0', data: definition.example });
      expect(validate(example), errorsOf()).toBe(true);
      expect(() => validateEvent(example)).not.toThrow();
    });

    it('rejects the example without a required data field, of another type, or without tenant', () => {
      const data = schema.properties?.data;
      const [field] = requiredDataFields(data ?? {});
      expect(field, 'data has a required field').toBeDefined();
      const withoutField = structuredClone(example);
      delete (withoutField.data as Record<string, unknown>)[field as string];
      expect(validate(withoutField)).toBe(false);
      expect(JSON.stringify(validate.errors)).toContain(field);

      expect(
        validate({
          ...example,
          type: type === 'coworking.lead.deleted' ? 'coworking.lead.created' : 'coworking.lead.deleted',
        }),
      ).toBe(false);
      const { tenant: _tenant, ...withoutTenant } = example;
      expect(validate(withoutTenant)).toBe(false);
    });
  },
);

describe('asyncapi.yaml', () => {
  const text = committed(artifactPaths.asyncapi);
  const document = parseYaml(text ?? '{}') as {
    asyncapi: string;
    info: { title: string; version: string };
    servers: Record<string, { host: string; protocol: string }>;
    channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>;
    operations: Record<string, { action: string; channel: { $ref: string }; messages: Array<{ $ref: string }> }>;
    components: {
      messages: Record<
        string,
        {
          name: string;
          title: string;
          summary: string;
          payload: { schema: { $ref: string } };
          examples: Array<{ payload: unknown }>;
        }
      >;
    };
  };

  it('is an AsyncAPI 3.0.0 document with a Kafka server', () => {
    expect(text, `${artifactPaths.asyncapi} is missing: ${regenerate}`).toBeDefined();
    expect(document.asyncapi).toBe('3.0.0');
    expect(document.info).toMatchObject({ title: 'Hookline events', version });
    expect(Object.values(document.servers)).toContainEqual(
      expect.objectContaining({ host: 'localhost:9092', protocol: 'kafka' }),
    );
  });

  it('has a channel per domain topic with every message of the domain, and the dead-letter channel', () => {
    for (const domain of domains) {
      const channel = document.channels[domain];
      expect(channel?.address).toBe(domainTopics[domain]);
      const types = catalog.filter((definition) => definition.domain === domain).map((definition) => definition.type);
      expect(Object.keys(channel?.messages ?? {})).toEqual(types);
    }
    expect(document.channels[deadLetterChannel]?.address).toBe(deadLetterTopic);
    expect(Object.keys(document.channels)).toHaveLength(domains.length + 1);
  });

  it('has a message for every type, its payload the type schema, its example the schema example', () => {
    const messages = document.components.messages;
    for (const definition of catalog) {
      const message = messages[definition.type];
      expect(message, definition.type).toMatchObject({ name: definition.type, summary: definition.description });
      expect(message?.title).toBeTruthy();
      const ref = message?.payload.schema.$ref ?? '';
      expect(ref).toBe(`./schemas/${definition.type}.json`);
      expect(existsSync(join(packageDir, ref))).toBe(true);
      expect(message?.examples[0]?.payload).toEqual(committedSchema(definition.type).examples?.[0]);
    }
  });

  it('resolves every reference of its channels and send operations', () => {
    for (const channel of Object.values(document.channels)) {
      for (const message of Object.values(channel.messages))
        expect(resolve(document, message.$ref), message.$ref).toBeDefined();
    }
    expect(Object.keys(document.operations)).toHaveLength(domains.length + 1);
    for (const operation of Object.values(document.operations)) {
      expect(operation.action).toBe('send');
      const channel = resolve(document, operation.channel.$ref);
      expect(channel, operation.channel.$ref).toBeDefined();
      for (const message of operation.messages) {
        expect(message.$ref.startsWith(`${operation.channel.$ref}/messages/`), message.$ref).toBe(true);
        expect(resolve(document, message.$ref), message.$ref).toBeDefined();
      }
    }
  });
});

describe('docs/events.md', () => {
  const text = committed(artifactPaths.docs) ?? '';

  it('has a section per type and lists every deviation', () => {
    for (const definition of catalog) expect(text).toContain(`### \`${definition.type}\``);
    expect(text).toContain('## Deviations from the source documents');
    for (const deviation of coworkingDeviations) {
      expect(text).toContain(`| \`${deviation.eventType}\` | \`${deviation.documented}\` | \`${deviation.used}\` |`);
    }
  });
});
