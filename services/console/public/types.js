// @ts-check
// The management API's shapes as the console uses them (see services/dispatcher/src/api.ts).

/**
 * @typedef {'active' | 'inactive' | 'blocked'} ConnectionStatus
 * @typedef {'pending' | 'held' | 'succeeded' | 'failed' | 'discarded'} DeliveryStatus
 * @typedef {{ maxAttempts: number, windowSeconds: number, timeoutMs: number, backoffSeconds: number[] }} RetryPolicy
 * @typedef {{ model: string, operations: string[], fields: string[] }} RecordFilter
 * @typedef {{ eventTypes: string[], record?: RecordFilter, reminderRuleId?: string }} ConnectionFilter
 * @typedef {{
 *   id: string, name: string, description?: string, url: string, active: boolean, status: ConnectionStatus,
 *   consecutiveFailures: number, blockedAt?: string, filter: ConnectionFilter, headers: Record<string, string>,
 *   retry: RetryPolicy, maxInFlight: number, rateLimit?: number, uniqueKey?: string, secret?: string, createdAt: string, updatedAt: string
 * }} Connection
 * @typedef {{
 *   name: string, description: string, url: string, active: boolean, filter: ConnectionFilter,
 *   headers: Record<string, string>, retry: RetryPolicy, maxInFlight: number, rateLimit?: number | null
 * }} ConnectionInput
 * @typedef {{
 *   id: string, connectionId: string, eventId: string, eventType: string, subject: string, status: DeliveryStatus,
 *   test: boolean, attempts: number, lastStatus?: number, lastError?: string, reason?: string,
 *   nextAttemptAt?: string, createdAt: string, updatedAt: string
 * }} Delivery
 * @typedef {{
 *   number: number, startedAt: string, durationMs: number, status?: number, responseBody?: string,
 *   error?: string, requestHeaders?: Record<string, string>
 * }} Attempt
 * @typedef {Delivery & { request: { body: unknown, headers?: Record<string, string> }, attemptLog: Attempt[] }} DeliveryDetail
 * @typedef {{
 *   type: string, domain: string, description: string, initiator: string, sourceName: string, custom: boolean,
 *   schema: unknown, example: unknown
 * }} EventType
 * @typedef {{ deliveryId: string, ok: boolean, status?: number, durationMs: number, responseBody?: string, error?: string }} TestResult
 * @typedef {{ name: string, label: string, fields: string[], eventTypes: string[] }} RecordModel
 * @typedef {{ operations: string[], models: RecordModel[] }} RecordModels
 * @typedef {{ path: string, rule: string, message: string }} Issue
 * @typedef {{ connectionId?: string, status?: string, eventType?: string, since?: string, cursor?: string, limit?: number }} DeliveryQuery
 * @typedef {{
 *   params: string[], query: URLSearchParams, current: () => boolean, refresh: () => void, navigate: (hash: string) => void
 * }} RouteContext  what a page gets: the path's parameters, the query after `?`, whether it is still the page shown
 */

export {};
