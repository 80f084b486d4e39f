// Connections read by ingest and sending, cached briefly: matching every event
// must not cost a query. Changes made elsewhere (the management API in another
// process) are seen within `ttlMs`; in-process changes invalidate at once.
import type { StoreCollection } from '@hookline/store';
import type { ConnectionDocument } from '../domain/connection.js';

interface Entry<T> {
  loadedAt: number;
  value: T;
}

export class ConnectionCache {
  private readonly byTenant = new Map<string, Entry<ConnectionDocument[]>>();
  private readonly byId = new Map<string, Entry<ConnectionDocument | null>>();
  /** Bumped by every invalidation: a read that started before one is not cached. */
  private generation = 0;
  /** Reads in progress, shared by concurrent callers instead of repeated. */
  private readonly loading = new Map<string, Promise<unknown>>();

  constructor(
    private readonly connections: StoreCollection<ConnectionDocument>,
    private readonly ttlMs: number,
  ) {}

  async forTenant(tenantId: string, options: { fresh?: boolean } = {}): Promise<ConnectionDocument[]> {
    const cached = this.byTenant.get(tenantId);
    if (!options.fresh && cached && Date.now() - cached.loadedAt < this.ttlMs) return cached.value;
    const generation = this.generation;
    const value = await this.once(`tenant:${tenantId}:${generation}`, () => this.connections.find({ tenantId }));
    if (generation === this.generation) {
      this.byTenant.set(tenantId, { loadedAt: Date.now(), value });
      for (const connection of value) this.byId.set(connection._id, { loadedAt: Date.now(), value: connection });
    }
    return value;
  }

  async get(id: string, options: { fresh?: boolean } = {}): Promise<ConnectionDocument | null> {
    const cached = this.byId.get(id);
    if (!options.fresh && cached && Date.now() - cached.loadedAt < this.ttlMs) return cached.value;
    const generation = this.generation;
    const value = await this.once(`id:${id}:${generation}`, () => this.connections.findOne({ _id: id }));
    if (generation === this.generation) this.byId.set(id, { loadedAt: Date.now(), value });
    return value;
  }

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let promise = this.loading.get(key) as Promise<T> | undefined;
    if (!promise) {
      promise = load().finally(() => this.loading.delete(key));
      this.loading.set(key, promise);
    }
    return promise;
  }

  invalidate(connection?: { _id: string; tenantId: string }): void {
    this.generation++;
    if (!connection) {
      this.byTenant.clear();
      this.byId.clear();
      return;
    }
    this.byId.delete(connection._id);
    this.byTenant.delete(connection.tenantId);
  }
}
