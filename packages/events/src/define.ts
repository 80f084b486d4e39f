import type { z } from 'zod';

/** The three product domains whose events Hookline publishes. */
export const domains = ['marketplace', 'accounting', 'coworking'] as const;
export type Domain = (typeof domains)[number];

/**
 * Who causes the event, as the source documents say it:
 * BIYRO's izpildītājs (seller), pasūtītājs (buyer), sistēma (system), or both parties;
 * Robolabs and Conexa events are caused by a user of the product or by the system itself.
 */
export const initiators = ['seller', 'buyer', 'system', 'seller_or_buyer', 'user'] as const;
export type Initiator = (typeof initiators)[number];

/** `<domain>.<entity>.<action>`: lower-case segments, underscores allowed. */
export const eventTypePattern = /^(marketplace|accounting|coworking)\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

export interface EventDefinition<T extends z.ZodType = z.ZodType, Type extends string = string> {
  /** `<domain>.<entity>.<action>`; for BIYRO the action is exactly the document's code. */
  readonly type: Type;
  readonly domain: Domain;
  /** When it fires, in one English sentence. */
  readonly description: string;
  /** The event's name in its source document (BIYRO code, Conexa title, Robolabs action). */
  readonly sourceName: string;
  readonly initiator: Initiator;
  /** The payload a receiver gets as `data`. */
  readonly data: T;
  /** One realistic payload, validated against `data` by a test. */
  readonly example: z.input<T>;
}

export function defineEvent<T extends z.ZodType, const Type extends string>(
  definition: EventDefinition<T, Type>,
): EventDefinition<T, Type> {
  if (!eventTypePattern.test(definition.type)) {
    throw new Error(`event type "${definition.type}" is not <domain>.<entity>.<action>`);
  }
  if (!definition.type.startsWith(`${definition.domain}.`)) {
    throw new Error(`event type "${definition.type}" does not belong to domain ${definition.domain}`);
  }
  return definition;
}

/** Definitions by their type, each keeping its own data schema: the map a decider types its events with. */
export type DefinitionsByType<List extends readonly EventDefinition[]> = { [D in List[number] as D['type']]: D };

/** The map of a list of definitions (e.g. the catalog's `marketplaceEvents`), built from the list, never written twice. */
export function definitionsByType<const List extends readonly EventDefinition[]>(
  definitions: List,
): DefinitionsByType<List> {
  return Object.fromEntries(definitions.map((definition) => [definition.type, definition])) as DefinitionsByType<List>;
}

/** The `data` of each event type of a list of definitions, as the catalog parses it. */
export type DataByType<List extends readonly EventDefinition[]> = {
  [D in List[number] as D['type']]: z.output<D['data']>;
};
