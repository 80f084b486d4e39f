// Operators' holds on a project's files (a dispute, a legal hold): while one is
// set, the clean-up records `files_not_deleted` with its reason instead of
// deleting. Lifting the hold runs the clean-up again at once, if it had kept
// the files.
import type { FileHoldDocument, SchedulerCollections } from '../adapters/scheduler-store.js';
import { timerId } from '../domain/index.js';
import type { TimerBook } from './timer-book.js';

export class FileHolds {
  constructor(
    private readonly collections: SchedulerCollections,
    private readonly book: TimerBook,
    private readonly now: () => Date,
  ) {}

  /** A page of the tenant's holds by project id: `next` is the last project id when more follow. */
  async list(
    tenant: string,
    page: { limit: number; after?: string },
  ): Promise<{ holds: FileHoldDocument[]; next: string | null }> {
    const filter = { tenant, ...(page.after === undefined ? {} : { projectId: { $gt: page.after } }) };
    const found = await this.collections.fileHolds.find(filter, { sort: { projectId: 1 }, limit: page.limit + 1 });
    const holds = found.slice(0, page.limit);
    return { holds, next: found.length > page.limit ? holds.at(-1)!.projectId : null };
  }

  async put(tenant: string, projectId: string, reason: string): Promise<FileHoldDocument> {
    const hold: FileHoldDocument = { _id: `${tenant}/${projectId}`, tenant, projectId, reason, since: this.now() };
    const { _id, ...fields } = hold;
    await this.collections.fileHolds.updateOne({ _id }, { $set: fields }, { upsert: true });
    return hold;
  }

  /** Lifts a hold; a clean-up that kept the files because of it is due again now. */
  async lift(tenant: string, projectId: string): Promise<{ lifted: boolean; cleanupRescheduled: boolean }> {
    const { deletedCount } = await this.collections.fileHolds.deleteOne({ _id: `${tenant}/${projectId}` });
    const cleanup = timerId('marketplace.files_cleanup', tenant, `${tenant}/${projectId}`);
    const again = await this.book.again(
      cleanup,
      ['fired'],
      (timer) => timer.result?.request.endsWith('/record-files-not-deleted') ?? false,
    );
    return { lifted: deletedCount > 0, cleanupRescheduled: again !== null };
  }
}
