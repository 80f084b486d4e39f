// Tenants and their API keys. A key is shown once, at creation; only its
// SHA-256 is stored, so a leaked database leaks no usable key.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { DocumentStore, StoreCollection } from '@hookline/store';

export interface TenantDocument {
  _id: string;
  name: string;
  createdAt: Date;
}

export interface ApiKeyDocument {
  /** SHA-256 of the key, hex. */
  _id: string;
  tenantId: string;
  /** First characters, to tell keys apart in logs and lists. */
  prefix: string;
  createdAt: Date;
}

export type Principal = { kind: 'tenant'; tenantId: string } | { kind: 'admin' };

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(hashKey(a));
  const right = Buffer.from(hashKey(b));
  return timingSafeEqual(left, right);
}

export class Tenants {
  readonly tenants: StoreCollection<TenantDocument>;
  readonly keys: StoreCollection<ApiKeyDocument>;
  private readonly cache = new Map<string, { tenantId: string; until: number }>();

  constructor(
    store: DocumentStore,
    private readonly adminKey: string | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.tenants = store.collection<TenantDocument>('tenants');
    this.keys = store.collection<ApiKeyDocument>('api_keys');
  }

  async ensureIndexes(): Promise<void> {
    await this.keys.createIndexes([{ keys: { tenantId: 1 }, name: 'by_tenant' }]);
  }

  /** Creates a tenant and its first API key, returned in full this once. */
  async create(name: string): Promise<{ tenant: TenantDocument; apiKey: string }> {
    const now = this.now();
    const tenant: TenantDocument = { _id: `ten_${randomUUID().replaceAll('-', '')}`, name, createdAt: now };
    await this.tenants.insertOne(tenant);
    const apiKey = `hk_${randomBytes(24).toString('base64url')}`;
    await this.keys.insertOne({ _id: hashKey(apiKey), tenantId: tenant._id, prefix: apiKey.slice(0, 7), createdAt: now });
    return { tenant, apiKey };
  }

  /** Who a bearer key belongs to, or null. Known keys are remembered for a minute. */
  async authenticate(key: string): Promise<Principal | null> {
    if (this.adminKey && sameSecret(key, this.adminKey)) return { kind: 'admin' };
    const hash = hashKey(key);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return { kind: 'tenant', tenantId: cached.tenantId };
    const found = await this.keys.findOne({ _id: hash });
    if (!found) return null;
    this.cache.set(hash, { tenantId: found.tenantId, until: Date.now() + 60_000 });
    return { kind: 'tenant', tenantId: found.tenantId };
  }
}
