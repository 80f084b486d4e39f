// The whole catalog in one list, and where each domain's events travel on Kafka.
import { accountingEvents } from './accounting/index.js';
import { coworkingEvents } from './coworking/index.js';
import type { Domain, EventDefinition } from './define.js';
import { marketplaceEvents } from './marketplace/index.js';

/** Every event type Hookline publishes, marketplace first, each in its document's order. */
export const catalog: readonly EventDefinition[] = [...marketplaceEvents, ...accountingEvents, ...coworkingEvents];

const byType = new Map(catalog.map((definition) => [definition.type, definition]));

export function findEventType(type: string): EventDefinition | undefined {
  return byType.get(type);
}

/** One topic per domain; the Kafka key is the aggregate id (the CloudEvent `subject`). */
export const domainTopics: Readonly<Record<Domain, string>> = {
  marketplace: 'hookline.marketplace',
  accounting: 'hookline.accounting',
  coworking: 'hookline.coworking',
};

/** Messages the dispatcher could not accept (unparsable, invalid, unknown type), with the reason. */
export const deadLetterTopic = 'hookline.dead-letter';

export function domainOf(type: string): string {
  return type.split('.', 1)[0] ?? '';
}

/** The topic of a catalog type; other teams' domains default to `hookline.<domain>`. */
export function topicFor(type: string): string {
  const domain = domainOf(type);
  return domain in domainTopics ? domainTopics[domain as Domain] : `hookline.${domain}`;
}
