// @ts-check
// The management API (`/v1`, same origin) with the signed-in tenant's key.
import { getKey } from './session.js';

/**
 * @typedef {import('./types.js').Connection} Connection
 * @typedef {import('./types.js').ConnectionInput} ConnectionInput
 * @typedef {import('./types.js').Delivery} Delivery
 * @typedef {import('./types.js').DeliveryDetail} DeliveryDetail
 * @typedef {import('./types.js').DeliveryQuery} DeliveryQuery
 * @typedef {import('./types.js').EventType} EventType
 * @typedef {import('./types.js').Issue} Issue
 * @typedef {import('./types.js').RecordModels} RecordModels
 * @typedef {import('./types.js').TestResult} TestResult
 */

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 when the API could not be reached
   * @param {string} code
   * @param {string} message
   * @param {Issue[]} [issues]
   */
  constructor(status, code, message, issues = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

/** What to do when the API refuses the signed-in key (set by the app: sign out). */
let onUnauthorized = () => {};

/** @param {() => void} handler */
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

/**
 * @param {'GET' | 'POST' | 'PATCH' | 'DELETE'} method
 * @param {string} path under `/v1`
 * @param {unknown} [body]
 * @param {string | null} [key] defaults to the signed-in key
 * @returns {Promise<any>}
 */
export async function request(method, path, body, key = getKey()) {
  if (!key) {
    onUnauthorized();
    throw new ApiError(401, 'unauthorized', 'Sign in with a tenant API key first.');
  }
  /** @type {Record<string, string>} */
  const headers = { authorization: `Bearer ${key}`, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  /** @type {Response} */
  let response;
  try {
    response = await fetch(`/v1${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, 'network', 'The management API could not be reached. Check your connection and try again.');
  }
  if (response.status === 204) return undefined;
  const text = await response.text();
  /** @type {any} */
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const error = new ApiError(
      response.status,
      typeof json?.error === 'string' ? json.error : 'error',
      typeof json?.message === 'string' ? json.message : `The API answered HTTP ${response.status}.`,
      Array.isArray(json?.issues) ? json.issues : [],
    );
    // Only the key in use is forgotten (a sign-in attempt passes its own key).
    if (response.status === 401 && key === getKey()) onUnauthorized();
    throw error;
  }
  return json;
}

/** @param {Record<string, string | number | undefined>} query */
function queryString(query) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

const enc = encodeURIComponent;

/** @type {Promise<EventType[]> | undefined} */
let catalog;
/** @type {Promise<RecordModels> | undefined} */
let models;

export const api = {
  /**
   * Every connection of the tenant (by status), following the cursor: a tenant has at most
   * HOOKLINE_MAX_CONNECTIONS_PER_TENANT of them, so this is a bounded number of pages.
   * @param {string} [status] @returns {Promise<Connection[]>}
   */
  async listConnections(status) {
    /** @type {Connection[]} */
    const data = [];
    /** @type {string | undefined} */
    let cursor;
    do {
      /** @type {{ data: Connection[], nextCursor: string | null }} */
      const page = await request('GET', `/connections${queryString({ status, limit: 100, cursor })}`);
      data.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return data;
  },
  /** @param {string} id @returns {Promise<Connection>} */
  getConnection: (id) => request('GET', `/connections/${enc(id)}`),
  /** @param {ConnectionInput} input @returns {Promise<Connection>} */
  createConnection: (input) => request('POST', '/connections', input),
  /** @param {string} id @param {Partial<ConnectionInput>} patch @returns {Promise<Connection>} */
  updateConnection: (id, patch) => request('PATCH', `/connections/${enc(id)}`, patch),
  /** @param {string} id @returns {Promise<void>} */
  deleteConnection: (id) => request('DELETE', `/connections/${enc(id)}`),
  /** @param {string} id @returns {Promise<Connection>} */
  rotateSecret: (id) => request('POST', `/connections/${enc(id)}/rotate-secret`),
  /** @param {string} id @param {string} eventType @returns {Promise<TestResult>} */
  sendTest: (id, eventType) => request('POST', `/connections/${enc(id)}/test`, { eventType }),
  /** @param {string} id @param {boolean} releaseHeld @returns {Promise<{ released: number, discarded: number }>} */
  unblock: (id, releaseHeld) => request('POST', `/connections/${enc(id)}/unblock`, { releaseHeld }),
  /** @param {string} id @param {Date} since @returns {Promise<{ recovered: number }>} */
  recover: (id, since) => request('POST', `/connections/${enc(id)}/recover`, { since: since.toISOString() }),
  /** @param {DeliveryQuery} query @returns {Promise<{ data: Delivery[], nextCursor: string | null }>} */
  listDeliveries: (query) => request('GET', `/deliveries${queryString({ ...query })}`),
  /** @param {string} id @returns {Promise<DeliveryDetail>} */
  getDelivery: (id) => request('GET', `/deliveries/${enc(id)}`),
  /** @param {string} id @returns {Promise<{ queued: boolean }>} */
  redeliver: (id) => request('POST', `/deliveries/${enc(id)}/redeliver`),
  /** The event catalog, loaded once per page load. @returns {Promise<EventType[]>} */
  eventTypes: () => {
    catalog ??= request('GET', '/event-types').then((answer) => /** @type {EventType[]} */ (answer.data));
    catalog.catch(() => (catalog = undefined));
    return catalog;
  },
  /** The Robolabs record models and their fields (served by the console itself). @returns {Promise<RecordModels>} */
  recordModels: () => {
    models ??= fetch(new URL('api/record-models', document.baseURI), { cache: 'no-store' }).then(async (response) => {
      if (!response.ok) throw new ApiError(response.status, 'error', 'The record models could not be loaded.');
      return /** @type {RecordModels} */ (await response.json());
    });
    models.catch(() => (models = undefined));
    return models;
  },
  /**
   * Every delivery since a time, newest first, following the cursor (at most `max`).
   * @param {Date} since @param {number} [max]
   * @returns {Promise<{ data: Delivery[], complete: boolean }>}
   */
  async deliveriesSince(since, max = 2000) {
    /** @type {Delivery[]} */
    const data = [];
    /** @type {string | undefined} */
    let cursor;
    for (;;) {
      const page = await api.listDeliveries({ since: since.toISOString(), limit: 200, ...(cursor ? { cursor } : {}) });
      data.push(...page.data);
      if (!page.nextCursor) return { data, complete: true };
      if (data.length >= max) return { data, complete: false };
      cursor = page.nextCursor;
    }
  },
};
