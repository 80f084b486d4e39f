// The records service: allocates Odoo-style ids, checks what a pure decider
// cannot see (referenced partners and products exist; who uses a record about
// to be deleted), runs the command through the event store, and keeps a small
// read model of current records for reads and those checks.
import { conflict, invalid, notFound, type Issue } from '@hookline/errors';
import { ConcurrencyError, type EventSourcing } from '@hookline/eventsourcing';
import { eventSubject, type RecordModel } from '@hookline/events';
import type { DocumentStore, StoreCollection } from '@hookline/store';
import {
  invoiceDecider,
  partnerDecider,
  productDecider,
  recordStream,
  type InvoiceCommand,
  type InvoiceCreateInput,
  type InvoicePatch,
  type PartnerCommand,
  type ProductCommand,
} from '../domain/index.js';

export interface RecordDocument {
  /** `${tenant}/${model}:${id}` */
  _id: string;
  tenant: string;
  model: RecordModel;
  id: number;
  record: Record<string, unknown>;
  deleted: boolean;
}

/** Who is acting: the tenant (company) and the user, from the request headers. */
export interface Caller {
  tenant: string;
  actor: string;
  traceparent?: string;
}

type AnyCommand = InvoiceCommand | PartnerCommand | ProductCommand;

const deciders = {
  'account.invoice': invoiceDecider,
  'res.partner': partnerDecider,
  'product.product': productDecider,
} as const;

export class Records {
  readonly records: StoreCollection<RecordDocument>;

  constructor(
    private readonly es: EventSourcing,
    store: DocumentStore,
  ) {
    this.records = store.collection<RecordDocument>('accounting_records');
  }

  async ensureIndexes(): Promise<void> {
    await this.records.createIndexes([{ keys: { tenant: 1, model: 1, id: 1 }, name: 'by_model' }]);
  }

  /** The record's stream, also its events' subject and Kafka key: `<tenant>/<model>:<id>`. */
  private stream(caller: Caller, model: RecordModel, id: number): string {
    return eventSubject(caller.tenant, recordStream(model, id));
  }

  async get(caller: Caller, model: RecordModel, id: number): Promise<Record<string, unknown>> {
    const found = await this.records.findOne({ _id: `${caller.tenant}/${model}:${id}`, deleted: false });
    if (!found) throw notFound(`no ${model} ${id}`);
    return found.record;
  }

  /** A page of the tenant's records of a model, by id: `next` is the last id when more follow. */
  async list(
    caller: Caller,
    model: RecordModel,
    page: { limit: number; after?: number },
  ): Promise<{ data: Record<string, unknown>[]; next: number | null }> {
    const filter = {
      tenant: caller.tenant,
      model,
      deleted: false,
      ...(page.after === undefined ? {} : { id: { $gt: page.after } }),
    };
    const found = await this.records.find(filter, { sort: { id: 1 }, limit: page.limit + 1 });
    const data = found.slice(0, page.limit);
    return { data: data.map((entry) => entry.record), next: found.length > page.limit ? data.at(-1)!.id : null };
  }

  private async run(
    caller: Caller,
    model: RecordModel,
    id: number,
    command: AnyCommand,
  ): Promise<Record<string, unknown> | null> {
    const decider = deciders[model] as unknown as Parameters<EventSourcing['handle']>[0];
    const { events } = await this.es.handle(decider, this.stream(caller, model, id), command, {
      tenant: caller.tenant,
      actor: caller.actor,
      ...(caller.traceparent ? { traceparent: caller.traceparent } : {}),
    });
    const last = events.at(-1)?.data as
      { after: Record<string, unknown> | null; before: Record<string, unknown> | null } | undefined;
    if (last) {
      const record = last.after ?? last.before!;
      await this.records.updateOne(
        { _id: `${caller.tenant}/${model}:${id}` },
        { $set: { tenant: caller.tenant, model, id, record, deleted: last.after === null } },
        { upsert: true },
      );
      return last.after;
    }
    return (await this.records.findOne({ _id: `${caller.tenant}/${model}:${id}` }))?.record ?? null;
  }

  /** Creates a record under the next free id; a concurrent create of the same id moves on to the next. */
  async create(caller: Caller, model: RecordModel, input: unknown): Promise<Record<string, unknown>> {
    if (model === 'account.invoice') await this.checkReferences(caller, input as InvoiceCreateInput);
    for (let attempt = 0; attempt < 10; attempt++) {
      const [last] = await this.records.find({ tenant: caller.tenant, model }, { sort: { id: -1 }, limit: 1 });
      const id = (last?.id ?? 0) + 1 + attempt;
      try {
        return (await this.run(caller, model, id, { type: 'create', id, input } as AnyCommand))!;
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
      }
    }
    throw conflict(`could not allocate a ${model} id: too many concurrent creates, retry`);
  }

  async update(caller: Caller, model: RecordModel, id: number, patch: unknown): Promise<Record<string, unknown>> {
    if (model === 'account.invoice') await this.checkReferences(caller, patch as InvoicePatch);
    return (await this.run(caller, model, id, { type: 'update', patch } as AnyCommand))!;
  }

  async delete(caller: Caller, model: RecordModel, id: number): Promise<void> {
    const command =
      model === 'account.invoice'
        ? { type: 'delete' as const }
        : { type: 'delete' as const, inUseBy: await this.usedBy(caller, model, id) };
    await this.run(caller, model, id, command);
  }

  async invoiceAction(
    caller: Caller,
    id: number,
    command: Exclude<InvoiceCommand, { type: 'create' | 'update' | 'delete' }>,
  ): Promise<Record<string, unknown>> {
    return (await this.run(caller, 'account.invoice', id, command))!;
  }

  /** Ids of the invoices that refer to a partner or a product. */
  private async usedBy(caller: Caller, model: RecordModel, id: number): Promise<number[]> {
    const invoices = await this.records.find({ tenant: caller.tenant, model: 'account.invoice', deleted: false });
    return invoices
      .filter(({ record }) =>
        model === 'res.partner'
          ? record.partner_id === id
          : ((record.invoice_lines as { product_id: number | null }[] | undefined) ?? []).some(
              (line) => line.product_id === id,
            ),
      )
      .map((invoice) => invoice.id);
  }

  /** An invoice may only refer to partners and products that exist. */
  private async checkReferences(
    caller: Caller,
    input: {
      partner_id?: number | undefined;
      invoice_lines?: readonly { product_id?: number | null | undefined }[] | undefined;
    },
  ): Promise<void> {
    const issues: Issue[] = [];
    if (input.partner_id !== undefined && !(await this.exists(caller, 'res.partner', input.partner_id))) {
      issues.push({ path: 'body.partner_id', rule: 'unknown_partner', message: `no res.partner ${input.partner_id}` });
    }
    for (const [index, line] of (input.invoice_lines ?? []).entries()) {
      if (typeof line.product_id === 'number' && !(await this.exists(caller, 'product.product', line.product_id))) {
        issues.push({
          path: `body.invoice_lines.${index}.product_id`,
          rule: 'unknown_product',
          message: `no product.product ${line.product_id}`,
        });
      }
    }
    if (issues.length > 0) throw invalid(issues.map((issue) => issue.message).join('; '), { issues }, 'bad_request');
  }

  private async exists(caller: Caller, model: RecordModel, id: number): Promise<boolean> {
    return (await this.records.countDocuments({ _id: `${caller.tenant}/${model}:${id}`, deleted: false })) > 0;
  }
}
