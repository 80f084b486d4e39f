// Tenant API keys. A key is shown once, when it is issued; only its SHA-256 is
// stored (the `api_keys` collection), so a copy of the database holds no usable
// key. Every service reads the same collection through its store: the
// dispatcher issues keys, and the product services verify them.
import { randomBytes } from 'node:crypto';
import type { DocumentStore, StoreCollection } from '@hookline/store';
import { hashKey } from './credentials.js';

export interface ApiKeyDocument {
  /** SHA-256 of the key, hex. */
  _id: string;
  tenantId: string;
  /** First characters, to tell keys apart in logs and lists. */
  prefix: string;
  createdAt: Date;
}

export const API_KEY_PREFIX = 'hk_';
/** Longer tokens are not keys this platform issued: refused without a lookup. */
const MAX_KEY_LENGTH = 100;
/** A verified key is remembered this long, so most requests need no lookup. */
const CACHE_MS = 60_000;
const CACHE_MAX = 10_000;

export class ApiKeys {
  readonly keys: StoreCollection<ApiKeyDocument>;
  private readonly cache = new Map<string, { tenantId: string; until: number }>();

  constructor(
    store: DocumentStore,
    private readonly clock: () => number = Date.now,
  ) {
    this.keys = store.collection<ApiKeyDocument>('api_keys');
  }

  async ensureIndexes(): Promise<void> {
    await this.keys.createIndexes([{ keys: { tenantId: 1 }, name: 'by_tenant' }]);
  }

  /** Issues a key for a tenant; the key itself is in this answer only. */
  async issue(tenantId: string, createdAt: Date): Promise<string> {
    const key = `${API_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
    await this.keys.insertOne({ _id: hashKey(key), tenantId, prefix: key.slice(0, 7), createdAt });
    return key;
  }

  /** The tenant of a key verified in the last minute, without a lookup; undefined when not known. */
  cached(key: string): string | undefined {
    const hit = this.cache.get(hashKey(key));
    return hit && hit.until > this.clock() ? hit.tenantId : undefined;
  }

  /** The tenant a key belongs to, or null. Only tokens shaped like an issued key are looked up. */
  async tenantOf(key: string): Promise<string | null> {
    if (!key.startsWith(API_KEY_PREFIX) || key.length > MAX_KEY_LENGTH) return null;
    const hash = hashKey(key);
    const hit = this.cache.get(hash);
    if (hit && hit.until > this.clock()) return hit.tenantId;
    const found = await this.keys.findOne({ _id: hash });
    if (!found) return null;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(hash, { tenantId: found.tenantId, until: this.clock() + CACHE_MS });
    return found.tenantId;
  }
}
