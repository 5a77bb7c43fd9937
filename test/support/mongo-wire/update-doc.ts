// Applying one update specification (operators, replacement or pipeline) to one document, and
// building the document an upsert inserts. mingo does the operator work; this file adds the
// MongoDB rules mingo leaves out ($setOnInsert, `_id` immutability, upsert seeding).
import { aggregate, update as mingoUpdate } from 'mingo';
import { serialize, type Document } from 'bson';
import { CommandError } from './errors';
import { cloneDoc, isPlainObject, keyString, withId } from './values';

type Modifier = Parameters<typeof mingoUpdate>[1];

export interface UpdateSpec {
  u: unknown;
  /** The filter, needed by the positional `$` operator. */
  q?: Document;
  arrayFilters?: Document[];
}

const immutableId = (): CommandError => new CommandError('ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");

function isOperatorUpdate(u: unknown): u is Document {
  return isPlainObject(u) && Object.keys(u).some((k) => k.startsWith('$'));
}

export function validateUpdate(u: unknown): void {
  if (Array.isArray(u)) return;
  if (!isPlainObject(u)) throw new CommandError('FailedToParse', 'Update argument must be either an object or an array');
  const keys = Object.keys(u);
  if (keys.some((k) => k.startsWith('$')) && !keys.every((k) => k.startsWith('$'))) {
    throw new CommandError('FailedToParse', 'Mixing update operators and replacement fields is not allowed');
  }
}

/** Operators for this write; `$setOnInsert` only counts when the write inserts. */
function operatorsFor(u: Document, inserting: boolean): Document {
  const ops: Document = {};
  for (const [op, fields] of Object.entries(u)) {
    if (!isPlainObject(fields) || Object.keys(fields).length === 0) continue;
    const target = op === '$setOnInsert' ? '$set' : op;
    if (op === '$setOnInsert' && !inserting) continue;
    ops[target] = { ...(ops[target] as Document | undefined), ...fields };
  }
  return ops;
}

function sameBytes(a: Document, b: Document): boolean {
  return Buffer.from(serialize(a)).equals(serialize(b));
}

/** Returns the updated copy of `doc` and whether anything changed; `doc` itself is untouched. */
export function applyUpdate(doc: Document, spec: UpdateSpec, inserting = false): { next: Document; changed: boolean } {
  const { u } = spec;
  if (Array.isArray(u)) {
    const [out] = aggregate([cloneDoc(doc)], u as Document[]);
    if (!out) throw new CommandError('BadValue', 'update pipeline removed the document');
    if (out._id !== undefined && keyString(out._id) !== keyString(doc._id)) throw immutableId();
    const next = withId({ ...out, _id: doc._id });
    return { next, changed: !sameBytes(next, doc) };
  }
  if (!isOperatorUpdate(u)) {
    const replacement = u as Document;
    if (replacement._id !== undefined && doc._id !== undefined && keyString(replacement._id) !== keyString(doc._id)) {
      throw immutableId();
    }
    const next = withId({ ...replacement, _id: doc._id ?? replacement._id });
    return { next, changed: !sameBytes(next, doc) };
  }
  const ops = operatorsFor(u, inserting);
  const next = cloneDoc(doc);
  // mingo refuses any $set of `_id`; MongoDB allows a no-op one (and upserts seed _id themselves).
  const set = ops.$set as Document | undefined;
  if (set && '_id' in set) {
    const { _id, ...rest } = set;
    if (next._id !== undefined && keyString(_id) !== keyString(next._id)) throw immutableId();
    next._id = _id;
    ops.$set = rest;
  }
  let changedFields: string[] = [];
  try {
    changedFields = mingoUpdate(next, ops as Modifier, spec.arrayFilters, inserting ? undefined : spec.q);
  } catch (err) {
    if (err instanceof Error && /immutable field '_id'/.test(err.message)) throw immutableId();
    throw err;
  }
  return { next: withId(next), changed: changedFields.length > 0 };
}

/** Equality conditions of an upsert filter become the new document's fields (MongoDB rule). */
function seedFromFilter(q: Document, into: Document): void {
  for (const [k, v] of Object.entries(q)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const part of v) if (isPlainObject(part)) seedFromFilter(part, into);
    } else if (k.startsWith('$')) {
      continue;
    } else if (isPlainObject(v) && Object.keys(v).some((op) => op.startsWith('$'))) {
      if ('$eq' in v) into[k] = v.$eq;
    } else {
      into[k] = v;
    }
  }
}

/** The document an upsert inserts when its filter matched nothing. */
export function upsertDocument(spec: UpdateSpec): Document {
  const seeded: Document = {};
  seedFromFilter(spec.q ?? {}, seeded);
  // Dotted filter paths ("a.b": 1) must become nested fields, which mingo's $set does; mingo
  // refuses to $set `_id` at all, so that one is copied directly.
  const { _id, ...fields } = seeded;
  const base: Document = _id === undefined ? {} : { _id };
  if (Object.keys(fields).length > 0) mingoUpdate(base, { $set: fields } as Modifier);
  if (isOperatorUpdate(spec.u) || Array.isArray(spec.u)) {
    const { next } = applyUpdate(base, { ...spec, q: undefined }, true);
    return withId(next);
  }
  return withId({ ...(spec.u as Document), _id: (spec.u as Document)._id ?? base._id });
}
