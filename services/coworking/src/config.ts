import { loadConfig } from '@hookline/config';
import { isTimeZone } from '@hookline/events';
import { z } from 'zod';

/** The coworking service's own variables (besides the runtime ones: Kafka, MongoDB, port). */
export const coworkingEnv = z.object({
  /**
   * The time zone the service writes its clock in, as Conexa writes date-times (`Y-m-d\TH:i:sP`): the
   * `createdAt` of the records it creates, the dates it fills in when a command leaves them out. An
   * IANA name (daylight saving included) or a GMT offset; Brasília time unless set.
   */
  COWORKING_TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'an IANA time zone such as America/Sao_Paulo, or a GMT offset such as GMT-03:00')
    .default('America/Sao_Paulo'),
});
export type CoworkingConfig = z.infer<typeof coworkingEnv>;

export function loadCoworkingConfig(environment: NodeJS.ProcessEnv): CoworkingConfig {
  return loadConfig(coworkingEnv, environment);
}
