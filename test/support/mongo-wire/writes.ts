// insert / update / delete / findAndModify. Each command runs synchronously from start to end, so
// it is atomic with respect to every other command (the 50-parallel-$inc case relies on this).
import { Query, find } from 'mingo';
import type { Document } from 'bson';
import { docArray, optionalDoc, targetName, type Handler } from './context';
import { asCommandError, CommandError } from './errors';
import { UniqueGuard } from './indexes';
import type { CollectionData } from './store';
import { applyUpdate, upsertDocument, validateUpdate, type UpdateSpec } from './update-doc';
import { cloneDoc, isPlainObject, withId } from './values';

type SortSpec = Record<string, 1 | -1>;

/** Runs each statement; ordered writes stop at the first error, unordered ones carry on. */
function eachStatement(statements: Document[], ordered: boolean, run: (s: Document, i: number) => void): Document[] {
  const writeErrors: Document[] = [];
  for (const [i, s] of statements.entries()) {
    try {
      run(s, i);
    } catch (err) {
      writeErrors.push(asCommandError(err).toWriteError(i));
      if (ordered) break;
    }
  }
  return writeErrors;
}

function withWriteErrors(reply: Document, writeErrors: Document[]): Document {
  return writeErrors.length > 0 ? { ...reply, writeErrors } : reply;
}

function matchingPositions(coll: CollectionData | undefined, q: unknown, onlyFirst: boolean): number[] {
  if (!coll) return [];
  const query = new Query(optionalDoc(q) ?? {});
  const out: number[] = [];
  for (const [i, doc] of coll.docs.entries()) {
    if (query.test(doc)) {
      out.push(i);
      if (onlyFirst) break;
    }
  }
  return out;
}

export const insert: Handler = (cmd, ctx) => {
  const coll = ctx.view.getOrCreate(ctx.db, targetName(cmd));
  const guard = new UniqueGuard(coll);
  let n = 0;
  const writeErrors = eachStatement(docArray(cmd.documents, 'documents'), cmd.ordered !== false, (doc) => {
    if (!isPlainObject(doc)) throw new CommandError('BadValue', 'document to insert must be an object');
    guard.insert(withId(cloneDoc(doc)));
    n += 1;
  });
  return withWriteErrors({ n }, writeErrors);
};

function updateSpec(s: Document): UpdateSpec {
  validateUpdate(s.u);
  const arrayFilters = Array.isArray(s.arrayFilters) ? (s.arrayFilters as Document[]) : undefined;
  return { u: s.u, q: optionalDoc(s.q) ?? {}, arrayFilters };
}

export const update: Handler = (cmd, ctx) => {
  const name = targetName(cmd);
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const writeErrors = eachStatement(docArray(cmd.updates, 'updates'), cmd.ordered !== false, (s, index) => {
    const spec = updateSpec(s);
    const multi = s.multi === true;
    if (multi && !Array.isArray(s.u) && isPlainObject(s.u) && !Object.keys(s.u).some((k) => k.startsWith('$'))) {
      throw new CommandError('InvalidOptions', 'multi update is not supported for replacement-style update');
    }
    const existing = ctx.view.get(ctx.db, name);
    const positions = matchingPositions(existing, spec.q, !multi);
    if (positions.length === 0) {
      if (s.upsert !== true) return;
      const coll = ctx.view.getOrCreate(ctx.db, name);
      const doc = upsertDocument(spec);
      new UniqueGuard(coll).insert(doc);
      n += 1;
      upserted.push({ index, _id: doc._id });
      return;
    }
    const coll = existing as CollectionData;
    const guard = new UniqueGuard(coll);
    for (const pos of positions) {
      const { next, changed } = applyUpdate(coll.docs[pos] as Document, spec);
      n += 1;
      if (!changed) continue;
      guard.replace(pos, next);
      nModified += 1;
    }
  });
  const reply: Document = { n, nModified };
  if (upserted.length > 0) reply.upserted = upserted;
  return withWriteErrors(reply, writeErrors);
};

export const remove: Handler = (cmd, ctx) => {
  const coll = ctx.view.get(ctx.db, targetName(cmd));
  let n = 0;
  const writeErrors = eachStatement(docArray(cmd.deletes, 'deletes'), cmd.ordered !== false, (s) => {
    const positions = matchingPositions(coll, s.q, s.limit === 1);
    for (const pos of positions.reverse()) coll?.docs.splice(pos, 1);
    n += positions.length;
  });
  return withWriteErrors({ n }, writeErrors);
};

function project(doc: Document | null, fields: unknown): Document | null {
  const projection = optionalDoc(fields);
  if (!doc || !projection || Object.keys(projection).length === 0) return doc;
  return find([doc], {}, projection).all()[0] ?? null;
}

function firstMatch(coll: CollectionData | undefined, cmd: Document): number {
  if (!coll) return -1;
  const sort = optionalDoc(cmd.sort);
  if (!sort || Object.keys(sort).length === 0) return matchingPositions(coll, cmd.query, true)[0] ?? -1;
  const [doc] = find(coll.docs, optionalDoc(cmd.query) ?? {})
    .sort(sort as SortSpec)
    .limit(1)
    .all();
  return doc ? coll.docs.indexOf(doc) : -1;
}

/** findAndModify: errors (DuplicateKey included) are command errors here, not writeErrors. */
export const findAndModify: Handler = (cmd, ctx) => {
  const name = targetName(cmd);
  const existing = ctx.view.get(ctx.db, name);
  const pos = firstMatch(existing, cmd);
  const found = pos >= 0 ? (existing?.docs[pos] as Document) : null;
  if (cmd.remove === true) {
    if (found) existing?.docs.splice(pos, 1);
    return { lastErrorObject: { n: found ? 1 : 0 }, value: project(found, cmd.fields) };
  }
  if (cmd.update === undefined) throw new CommandError('FailedToParse', 'Either an update or remove=true must be specified');
  const spec = updateSpec({ u: cmd.update, q: cmd.query, arrayFilters: cmd.arrayFilters });
  if (found && existing) {
    const { next, changed } = applyUpdate(found, spec);
    if (changed) new UniqueGuard(existing).replace(pos, next);
    const value = cmd.new === true ? next : found;
    return { lastErrorObject: { n: 1, updatedExisting: true }, value: project(value, cmd.fields) };
  }
  if (cmd.upsert !== true) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null };
  const doc = upsertDocument(spec);
  new UniqueGuard(ctx.view.getOrCreate(ctx.db, name)).insert(doc);
  const value = cmd.new === true ? doc : null;
  return { lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id }, value: project(value, cmd.fields) };
};
