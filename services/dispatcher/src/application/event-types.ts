// The event types the dispatcher accepts: the catalog, plus custom types other
// teams register with a JSON Schema at run time (no redeploy). Lookups are
// synchronous (ingest parses every message); the custom types are kept in
// memory and refreshed from the store, and at once when an unknown type shows up.
import { catalog, eventTypePattern, findEventType, type EventDefinition } from '@hookline/events';
import { conflict, invalid } from '@hookline/errors';
import { DuplicateKeyError, type DocumentStore, type StoreCollection } from '@hookline/store';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { z } from 'zod';

export interface CustomEventTypeDocument {
  /** The type name, `<domain>.<entity>.<action>`. */
  _id: string;
  description: string;
  /**
   * JSON Schema (draft 2020-12) of the event's `data`, and the example, kept as
   * JSON text: a schema's `$ref`, `$defs` and `$id` keys, and keys with dots, are
   * not storable as document keys (FerretDB refuses them).
   */
  schemaJson: string;
  exampleJson: string;
  createdAt: Date;
}

/** Custom types follow the catalog's naming but may bring a new domain (their own topic `hookline.<domain>`). */
const customTypePattern = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

export const customEventTypeInput = z.object({
  type: z
    .string()
    .regex(customTypePattern, 'a <domain>.<entity>.<action> name: lower-case letters, digits and _')
    .refine((type) => !eventTypePattern.test(type) || !findEventType(type), 'a catalog type cannot be redefined'),
  description: z.string().min(1).max(500),
  schema: z.record(z.string(), z.unknown()).describe('JSON Schema (draft 2020-12) of the data.'),
  example: z.unknown().refine((value) => value !== undefined, 'an example is required'),
});
export type CustomEventTypeInput = z.infer<typeof customEventTypeInput>;

type Lookup = (type: string) => EventDefinition | undefined;

export class EventTypeRegistry {
  private readonly collection: StoreCollection<CustomEventTypeDocument>;
  private custom = new Map<string, EventDefinition>();
  private refreshing: Promise<void> | undefined;

  constructor(store: DocumentStore) {
    this.collection = store.collection<CustomEventTypeDocument>('event_types');
  }

  /** A fresh Ajv per schema: a schema's own `$id` would otherwise collide with itself at the next refresh. */
  private compile(schema: Record<string, unknown>) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    return ajv.compile(schema);
  }

  readonly lookup: Lookup = (type) => findEventType(type) ?? this.custom.get(type);

  /** A JSON Schema as a zod check, so custom types go through the same validation path as the catalog. */
  private definitionOf(document: CustomEventTypeDocument): EventDefinition {
    const schema = JSON.parse(document.schemaJson) as Record<string, unknown>;
    const validate = this.compile(schema);
    this.schemas.set(document._id, schema);
    const data = z.unknown().superRefine((value, ctx) => {
      if (validate(value)) return;
      for (const error of validate.errors ?? []) {
        ctx.addIssue({
          code: 'custom',
          path: error.instancePath.split('/').filter(Boolean),
          message: `${error.message ?? 'invalid'} (${error.keyword})`,
        });
      }
    });
    return {
      type: document._id,
      domain: document._id.split('.')[0] as EventDefinition['domain'],
      description: document.description,
      sourceName: 'custom',
      initiator: 'system',
      data,
      example: JSON.parse(document.exampleJson) as unknown,
    };
  }

  async refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      const documents = await this.collection.find({});
      this.custom = new Map(documents.map((document) => [document._id, this.definitionOf(document)]));
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  async register(input: CustomEventTypeInput, now: Date): Promise<CustomEventTypeDocument> {
    let validate;
    try {
      validate = this.compile(input.schema);
    } catch (error) {
      throw invalid(
        'schema is not a valid JSON Schema',
        {
          issues: [
            {
              path: 'body.schema',
              rule: 'json_schema',
              message: error instanceof Error ? error.message : String(error),
            },
          ],
        },
        'bad_request',
      );
    }
    if (!validate(input.example)) {
      throw invalid(
        'the example does not match the schema',
        {
          issues: (validate.errors ?? []).map((error) => ({
            path: `body.example${error.instancePath.replaceAll('/', '.')}`,
            rule: error.keyword,
            message: error.message ?? 'invalid',
          })),
        },
        'bad_request',
      );
    }
    const document: CustomEventTypeDocument = {
      _id: input.type,
      description: input.description,
      schemaJson: JSON.stringify(input.schema),
      exampleJson: JSON.stringify(input.example),
      createdAt: now,
    };
    try {
      await this.collection.insertOne(document);
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw conflict(`event type ${input.type} is already registered`);
      throw error;
    }
    this.custom.set(document._id, this.definitionOf(document));
    return document;
  }

  /** Every type with its JSON Schema and example, catalog first. */
  list(): {
    type: string;
    domain: string;
    description: string;
    initiator: string;
    sourceName: string;
    custom: boolean;
    schema: unknown;
    example: unknown;
  }[] {
    this.catalogView ??= catalog.map((definition) => ({
      type: definition.type,
      domain: definition.domain,
      description: definition.description,
      initiator: definition.initiator,
      sourceName: definition.sourceName,
      custom: false,
      schema: z.toJSONSchema(definition.data, { io: 'input', unrepresentable: 'any' }),
      example: definition.example,
    }));
    return [
      ...this.catalogView,
      ...[...this.custom.values()].map((definition) => ({
        type: definition.type,
        domain: definition.domain,
        description: definition.description,
        initiator: definition.initiator,
        sourceName: definition.sourceName,
        custom: true,
        schema: this.schemas.get(definition.type),
        example: definition.example,
      })),
    ];
  }

  private catalogView: ReturnType<EventTypeRegistry['list']> | undefined;
  private readonly schemas = new Map<string, unknown>();
}
