import { env, loadConfig } from '@hookline/config';
import { domainTopics } from '@hookline/events';
import { z } from 'zod';

/** The scheduler's own variables (besides the runtime ones: Kafka, MongoDB, port). */
export const schedulerEnv = z.object({
  /** Topics the scheduler learns deadlines from. */
  SCHEDULER_TOPICS: env.list().default([domainTopics.marketplace, domainTopics.coworking]),
  SCHEDULER_GROUP_ID: z.string().min(1).default('hookline-scheduler'),
  SCHEDULER_INSTANCE_ID: z.string().min(1).optional(),
  /** Base URL of the marketplace service; unset: this process (the all-in-one platform). */
  SCHEDULER_MARKETPLACE_URL: env.url().optional(),
  /** Base URL of the coworking service; unset: this process. */
  SCHEDULER_COWORKING_URL: env.url().optional(),
  /** How often due timers are looked for. */
  SCHEDULER_POLL_MS: env.positiveInt(1000),
  /** How long a claim on a timer lasts; a crashed holder's timer is fired again after it. */
  SCHEDULER_LEASE_MS: env.positiveInt(60_000),
  /** Timeout of a call to an owning service (at most half the lease). */
  SCHEDULER_CALL_TIMEOUT_MS: env.positiveInt(10_000),
  SCHEDULER_BATCH: env.positiveInt(100),
  SCHEDULER_CONCURRENCY: env.positiveInt(8),
  /** Failed calls (no answer, 5xx, 429) before a timer is marked failed. */
  SCHEDULER_MAX_ATTEMPTS: env.positiveInt(12),
  SCHEDULER_RETRY_BASE_MS: env.positiveInt(5_000),
  SCHEDULER_RETRY_MAX_MS: env.positiveInt(3_600_000),
  /** Days after a project ends that its files are cleaned up. */
  SCHEDULER_FILES_RETENTION_DAYS: env.positiveInt(30),
  /** Charge reminder rules one tenant may have (each open charge gets a reminder per rule). */
  SCHEDULER_MAX_REMINDER_RULES: env.positiveInt(50),
});
export type SchedulerConfig = z.infer<typeof schedulerEnv>;

export function loadSchedulerConfig(environment: NodeJS.ProcessEnv): SchedulerConfig {
  return loadConfig(schedulerEnv, environment);
}
