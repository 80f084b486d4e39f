// MongoDB's update semantics on plain documents (mingo), shared by the backends
// that apply updates themselves (embedded, sqlite).
import { update as mingoUpdate } from 'mingo';

export type AnyDoc = Record<string, unknown> & { _id: string };
export type Filter = Record<string, unknown>;
export type Update = Record<string, unknown>;

export function getPath(document: unknown, path: string): unknown {
  let value: unknown = document;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** True when an array is met anywhere along `path` (MongoDB would index each element: a multikey index). */
export function pathMeetsArray(document: unknown, path: string): boolean {
  let value: unknown = document;
  for (const part of path.split('.')) {
    if (Array.isArray(value)) return true;
    if (value === null || typeof value !== 'object') return false;
    value = (value as Record<string, unknown>)[part];
  }
  return Array.isArray(value);
}

function setPath(document: Record<string, unknown>, path: string, value: unknown) {
  const parts = path.split('.');
  let target = document;
  for (const part of parts.slice(0, -1)) {
    if (typeof target[part] !== 'object' || target[part] === null) target[part] = {};
    target = target[part] as Record<string, unknown>;
  }
  target[parts[parts.length - 1]!] = value;
}

const isOperatorUpdate = (update: Update) => Object.keys(update).some((key) => key.startsWith('$'));

/** MongoDB lets `$set` name `_id` when the value does not change (e.g. `$set: wholeDocument`); mingo refuses any `_id` path. */
function withoutUnchangedId(update: Update & { $set?: Record<string, unknown> }, id: unknown): Update {
  if (!update.$set || !('_id' in update.$set) || update.$set._id !== id) return update;
  const { _id: _unchanged, ...rest } = update.$set;
  return { ...update, $set: rest };
}

/** The document after `update` (operators or a replacement), as a new object; `target` is left as it is. */
export function updatedDocument(collection: string, target: AnyDoc, update: Update): AnyDoc {
  let next: AnyDoc;
  if (isOperatorUpdate(update)) {
    const { $setOnInsert: _ignored, ...operators } = withoutUnchangedId(update, target._id);
    next = structuredClone(target);
    if (Object.keys(operators).length > 0) mingoUpdate(next, operators as never);
  } else {
    next = { ...(structuredClone(update) as AnyDoc), _id: target._id };
  }
  if (next._id !== target._id) throw new Error(`cannot change _id of a document in ${collection}`);
  return next;
}

/** Whether an update changed a document (MongoDB's modifiedCount). */
export function sameDocument(a: AnyDoc, b: AnyDoc): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The document an upsert inserts: the filter's equality fields, then the update (with `$setOnInsert`). */
export function upsertedDocument(filter: Filter, update: Update): AnyDoc {
  const base: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(filter)) {
    if (path.startsWith('$')) continue;
    const isOperatorObject =
      value !== null &&
      typeof value === 'object' &&
      !(value instanceof Date) &&
      Object.keys(value).some((k) => k.startsWith('$'));
    if (!isOperatorObject) setPath(base, path, structuredClone(value));
    else if ('$eq' in (value as object)) setPath(base, path, structuredClone((value as { $eq: unknown }).$eq));
  }
  let document: Record<string, unknown>;
  if (isOperatorUpdate(update)) {
    document = base;
    const { $setOnInsert, ...operators } = withoutUnchangedId(update, base._id);
    if (Object.keys(operators).length > 0) mingoUpdate(document, operators as never);
    if ($setOnInsert) mingoUpdate(document, { $set: $setOnInsert } as never);
  } else {
    document = { ...structuredClone(update), ...(base._id !== undefined ? { _id: base._id } : {}) };
  }
  return document as AnyDoc;
}
