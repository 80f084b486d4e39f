// The projects service: fills in what a command needs besides its body (the
// seller's plan and name, the seller's active projects, the buyer's quota
// balance — kept in a read model of projects), runs it through the event
// store, and keeps that read model current.
import { randomUUID } from 'node:crypto';
import type { EventSourcing } from '@hookline/eventsourcing';
import { notFound } from '@hookline/errors';
import { eventSubject } from '@hookline/events';
import type { DocumentStore, StoreCollection } from '@hookline/store';
import {
  activeProjectStatuses,
  allowedCommands,
  freePlan,
  plan as planSchema,
  projectCommand,
  projectDecider,
  type CommandName,
  type CommandRole,
  type Plan,
  type ProjectState,
} from '../domain/index.js';

export interface Caller {
  tenant: string;
  role: CommandRole;
  /** The seller's or buyer's user id; `system` for timers. */
  id: string;
  traceparent?: string;
}

export interface SellerDocument {
  _id: string;
  tenant: string;
  sellerId: string;
  name: string;
  plan: Plan;
}

export interface ProjectSummary {
  _id: string;
  tenant: string;
  projectId: string;
  sellerId: string | null;
  buyerId: string | null;
  status: string;
  quotasAssigned: number;
  quotasSpent: number;
  updatedAt: Date;
}

export interface CommandResult {
  projectId: string;
  status: string;
  events: { type: string; data: unknown }[];
  allowed: CommandName[];
}

export class Projects {
  readonly sellers: StoreCollection<SellerDocument>;
  readonly summaries: StoreCollection<ProjectSummary>;

  constructor(
    private readonly es: EventSourcing,
    store: DocumentStore,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.sellers = store.collection<SellerDocument>('marketplace_sellers');
    this.summaries = store.collection<ProjectSummary>('marketplace_projects');
  }

  async ensureIndexes(): Promise<void> {
    await this.summaries.createIndexes([
      { keys: { tenant: 1, sellerId: 1, status: 1 }, name: 'by_seller' },
      { keys: { tenant: 1, buyerId: 1 }, name: 'by_buyer' },
    ]);
  }

  /** A seller's account: display name and plan (paid plans are configured here). */
  async putSeller(tenant: string, sellerId: string, input: { name: string; plan?: Plan }): Promise<SellerDocument> {
    const seller: SellerDocument = {
      _id: `${tenant}/${sellerId}`,
      tenant,
      sellerId,
      name: input.name,
      plan: planSchema.parse(input.plan ?? freePlan),
    };
    await this.sellers.updateOne({ _id: seller._id }, { $set: seller }, { upsert: true });
    return seller;
  }

  private async seller(tenant: string, sellerId: string): Promise<{ name: string; plan: Plan }> {
    return (
      (await this.sellers.findOne({ _id: `${tenant}/${sellerId}` })) ?? { name: `Seller ${sellerId}`, plan: freePlan }
    );
  }

  /** The project's stream, also its events' subject and Kafka key: `<tenant>/<project id>`. */
  private stream(tenant: string, projectId: string): string {
    return eventSubject(tenant, projectId);
  }

  async state(caller: Caller, projectId: string): Promise<{ state: ProjectState; allowed: CommandName[] }> {
    const { state, version } = await this.es.load(projectDecider, this.stream(caller.tenant, projectId));
    if (version === 0) throw notFound(`no project ${projectId}`);
    return { state, allowed: allowedCommands(state, caller.role, this.now().toISOString()) };
  }

  async run(caller: Caller, name: CommandName, projectId: string | null, body: object): Promise<CommandResult> {
    const id = projectId ?? `prj_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    const { state: current } = await this.es.load(projectDecider, this.stream(caller.tenant, id));
    const sellerId = name === 'create_draft' ? caller.id : (current.project?.seller?.id ?? null);
    const seller = sellerId ? await this.seller(caller.tenant, String(sellerId)) : { name: '', plan: freePlan };
    const buyerId = current.project?.buyer?.id ?? (caller.role === 'buyer' ? caller.id : null);
    const server = {
      projectId: id,
      sellerName: seller.name,
      sellerPlan: seller.plan,
      sellerActiveProjects: sellerId
        ? await this.summaries.countDocuments({
            tenant: caller.tenant,
            sellerId: String(sellerId),
            status: { $in: [...activeProjectStatuses] },
          })
        : 0,
      buyerQuotaBalance: buyerId ? await this.quotaBalance(caller.tenant, String(buyerId)) : 0,
    };
    const command = projectCommand.parse({
      ...body,
      ...server,
      type: name,
      actor: { role: caller.role, id: caller.id },
      now: this.now().toISOString(),
    });
    const { state, events } = await this.es.handle(projectDecider, this.stream(caller.tenant, id), command, {
      tenant: caller.tenant,
      actor: `${caller.role}:${caller.id}`,
      ...(caller.traceparent ? { traceparent: caller.traceparent } : {}),
    });
    if (events.length > 0) await this.summarize(caller.tenant, id, state);
    return {
      projectId: id,
      status: state.status,
      events,
      allowed: allowedCommands(state, caller.role, this.now().toISOString()),
    };
  }

  private async summarize(tenant: string, projectId: string, state: ProjectState): Promise<void> {
    const summary: ProjectSummary = {
      _id: `${tenant}/${projectId}`,
      tenant,
      projectId,
      sellerId: state.project?.seller?.id === undefined ? null : String(state.project.seller.id),
      buyerId:
        state.project?.buyer?.id === undefined || state.project.buyer === null ? null : String(state.project.buyer.id),
      status: state.status,
      quotasAssigned: state.quotasAssigned,
      quotasSpent: state.quotasSpent,
      updatedAt: this.now(),
    };
    await this.summaries.updateOne({ _id: summary._id }, { $set: summary }, { upsert: true });
  }

  /** Quotas the buyer earned across projects, less those spent. */
  private async quotaBalance(tenant: string, buyerId: string): Promise<number> {
    const projects = await this.summaries.find({ tenant, buyerId });
    return (
      Math.round(projects.reduce((sum, project) => sum + project.quotasAssigned - project.quotasSpent, 0) * 100) / 100
    );
  }
}
