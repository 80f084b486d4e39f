// The project stream's events: the 35 BIYRO codes of the catalog, typed from the catalog's own list.
import { definitionsByType, marketplaceEvents } from '@hookline/events';
import type { DomainEvent } from '@hookline/eventsourcing';
import type { z } from 'zod';

/** The 35 catalog definitions by type, each keeping its data schema type: built from `marketplaceEvents`. */
const definitions = definitionsByType(marketplaceEvents);

type Definitions = typeof definitions;
export type ProjectEventType = keyof Definitions;
/** The `data` of an event type, as the catalog parses it. */
export type ProjectEventData<K extends ProjectEventType> = z.output<Definitions[K]['data']>;
/** An event of the project stream: a catalog type and its data. */
export type ProjectEvent = { [K in ProjectEventType]: DomainEvent<K, ProjectEventData<K>> }[ProjectEventType];
/** The types of the 35 catalog events the aggregate emits. */
export const projectEventTypes = Object.keys(definitions) as ProjectEventType[];
