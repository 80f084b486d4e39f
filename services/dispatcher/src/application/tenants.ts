// Tenants, each created with its first API key (issued and verified by
// @hookline/auth, which every service shares).
import { randomUUID } from 'node:crypto';
import type { ApiKeys } from '@hookline/auth';
import type { DocumentStore, StoreCollection } from '@hookline/store';

export interface TenantDocument {
  _id: string;
  name: string;
  createdAt: Date;
}

export class Tenants {
  readonly tenants: StoreCollection<TenantDocument>;

  constructor(
    store: DocumentStore,
    private readonly apiKeys: ApiKeys,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.tenants = store.collection<TenantDocument>('tenants');
  }

  async ensureIndexes(): Promise<void> {
    await this.apiKeys.ensureIndexes();
  }

  /** Creates a tenant and its first API key, returned in full this once. */
  async create(name: string): Promise<{ tenant: TenantDocument; apiKey: string }> {
    const now = this.now();
    const tenant: TenantDocument = { _id: `ten_${randomUUID().replaceAll('-', '')}`, name, createdAt: now };
    await this.tenants.insertOne(tenant);
    const apiKey = await this.apiKeys.issue(tenant._id, now);
    return { tenant, apiKey };
  }
}
