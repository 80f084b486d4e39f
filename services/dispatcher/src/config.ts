import { env, loadConfig } from '@hookline/config';
import { domainTopics } from '@hookline/events';
import { z } from 'zod';
import { parseAllowlist } from './adapters/url-guard.js';

/** The dispatcher's own variables (besides the runtime ones: Kafka, MongoDB, port). */
export const dispatcherEnv = z.object({
  DISPATCHER_TOPICS: env.list().default(Object.values(domainTopics)),
  /** A regular expression: consume every topic it matches (other teams' topics join without a redeploy). */
  DISPATCHER_TOPIC_PATTERN: z
    .string()
    .refine((value) => {
      try {
        new RegExp(value);
        return true;
      } catch {
        return false;
      }
    }, 'must be a regular expression')
    .optional(),
  DISPATCHER_GROUP_ID: z.string().min(1).default('hookline-dispatcher'),
  /** The hand-off topic between ingest and sending (32 partitions, one per shard). */
  DISPATCHER_DELIVERIES_TOPIC: z.string().min(1).default('hookline.deliveries'),
  DISPATCHER_INSTANCE_ID: z.string().min(1).optional(),
  /** How long a handed-off delivery may wait in memory before it is stored, so its hand-off can be committed. */
  DISPATCHER_SPILL_AFTER_MS: env.positiveInt(1000),
  /** Webhook requests in flight from one instance, all connections. */
  DISPATCHER_MAX_IN_FLIGHT: env.positiveInt(1024),
  /** Webhook requests in flight for one tenant, all its connections. */
  DISPATCHER_MAX_IN_FLIGHT_PER_TENANT: env.positiveInt(256),
  DELIVERY_RETENTION_DAYS: env.positiveInt(30),
  /** Host names, addresses and CIDR ranges receivers may use despite the SSRF guard, each optionally with a port (e.g. 127.0.0.1:4000 for local development). */
  HOOKLINE_URL_ALLOWLIST: env
    .list()
    .default([])
    .superRefine((entries, ctx) => {
      try {
        parseAllowlist(entries);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
      }
    }),
  /** Connections one tenant may have. */
  HOOKLINE_MAX_CONNECTIONS_PER_TENANT: env.positiveInt(1000),
});
export type DispatcherConfig = z.infer<typeof dispatcherEnv>;

export function loadDispatcherConfig(environment: NodeJS.ProcessEnv): DispatcherConfig {
  return loadConfig(dispatcherEnv, environment);
}
