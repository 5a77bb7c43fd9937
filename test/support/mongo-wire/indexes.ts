// Index specs and unique-constraint enforcement. Only `unique` (with `sparse` and
// `partialFilterExpression`) changes behaviour; other index options are stored and listed but,
// like TTL expiry, not acted upon.
import { Query } from 'mingo';
import type { Document } from 'bson';
import { CommandError } from './errors';
import type { CollectionData } from './store';
import { hasPath, keyString, pathValues, shellString } from './values';

export interface IndexSpec extends Document {
  v: number;
  key: Document;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
}

function isUnique(spec: IndexSpec): boolean {
  return spec.name === '_id_' || spec.unique === true;
}

interface IndexKey {
  str: string;
  /** `{ field: value }` as reported in the DuplicateKey error's keyValue. */
  value: Document;
}

/** All keys a document contributes to an index (several when a key field holds an array). */
function indexKeys(spec: IndexSpec, doc: Document): IndexKey[] {
  const fields = Object.keys(spec.key);
  if (spec.sparse && !fields.some((f) => hasPath(doc, f))) return [];
  if (spec.partialFilterExpression && !new Query(spec.partialFilterExpression).test(doc)) return [];
  let combos: unknown[][] = [[]];
  for (const f of fields) {
    combos = combos.flatMap((prefix) => pathValues(doc, f).map((v) => [...prefix, v]));
  }
  return combos.map((values) => ({
    str: keyString(values),
    value: Object.fromEntries(fields.map((f, i) => [f, values[i] ?? null])),
  }));
}

export function duplicateKeyError(coll: CollectionData, spec: IndexSpec, keyValue: Document): CommandError {
  const shown = Object.entries(keyValue)
    .map(([k, v]) => `${k}: ${shellString(v)}`)
    .join(', ');
  return new CommandError('DuplicateKey', `E11000 duplicate key error collection: ${coll.db}.${coll.name} index: ${spec.name} dup key: { ${shown} }`, {
    keyPattern: spec.key,
    keyValue,
  });
}

/**
 * The unique indexes of one collection as key → owning document maps, built once per write
 * command (collections in tests are small) and kept in step with every change it makes.
 */
export class UniqueGuard {
  private readonly maps: Array<{ spec: IndexSpec; owners: Map<string, Document> }>;

  constructor(private readonly coll: CollectionData) {
    this.maps = coll.indexes.filter(isUnique).map((spec) => ({ spec, owners: new Map<string, Document>() }));
    for (const doc of coll.docs) this.add(doc);
  }

  /** Throws DuplicateKey if `doc` would collide with a document other than `replacing`. */
  check(doc: Document, replacing?: Document): void {
    for (const { spec, owners } of this.maps) {
      for (const key of indexKeys(spec, doc)) {
        const owner = owners.get(key.str);
        if (owner !== undefined && owner !== replacing) throw duplicateKeyError(this.coll, spec, key.value);
      }
    }
  }

  add(doc: Document): void {
    for (const { spec, owners } of this.maps) for (const key of indexKeys(spec, doc)) owners.set(key.str, doc);
  }

  remove(doc: Document): void {
    for (const { spec, owners } of this.maps) {
      for (const key of indexKeys(spec, doc)) if (owners.get(key.str) === doc) owners.delete(key.str);
    }
  }

  insert(doc: Document): void {
    this.check(doc);
    this.coll.docs.push(doc);
    this.add(doc);
  }

  replace(position: number, next: Document): void {
    const prev = this.coll.docs[position] as Document;
    this.check(next, prev);
    this.remove(prev);
    this.coll.docs[position] = next;
    this.add(next);
  }
}

function sameKey(a: Document, b: Document): boolean {
  return keyString(a) === keyString(b);
}

function defaultName(key: Document): string {
  return Object.entries(key)
    .map(([k, v]) => `${k}_${String(v)}`)
    .join('_');
}

/**
 * createIndexes: returns how many were new. All-or-nothing, like the server: building a unique
 * index over existing duplicates fails and leaves the index list as it was.
 */
export function createIndexes(coll: CollectionData, requested: Document[]): number {
  const indexes = [...coll.indexes];
  let created = 0;
  for (const raw of requested) {
    if (!raw.key || typeof raw.key !== 'object') throw new CommandError('FailedToParse', 'index spec is missing key');
    const spec: IndexSpec = { ...raw, v: 2, key: raw.key as Document, name: String(raw.name ?? defaultName(raw.key)) };
    const sameName = indexes.find((i) => i.name === spec.name);
    const sameKeys = indexes.find((i) => sameKey(i.key, spec.key));
    if (sameName && sameKey(sameName.key, spec.key) && !!sameName.unique === !!spec.unique) continue;
    if (sameName) {
      throw new CommandError(
        'IndexOptionsConflict',
        `An existing index has the same name as the requested index. Requested index: ${shellString(spec)}, existing index: ${shellString(sameName)}`,
      );
    }
    if (sameKeys && !!sameKeys.unique === !!spec.unique) {
      throw new CommandError('IndexOptionsConflict', `Index already exists with a different name: ${sameKeys.name}`);
    }
    if (isUnique(spec)) {
      const probe = new UniqueGuard({ ...coll, docs: [], indexes: [spec] });
      for (const doc of coll.docs) probe.insert(doc);
    }
    indexes.push(spec);
    created += 1;
  }
  coll.indexes = indexes;
  return created;
}

/** dropIndexes: `index` is '*', a name, a list of names, or a key pattern. */
export function dropIndexes(coll: CollectionData, index: unknown): void {
  if (index === '*') {
    coll.indexes = coll.indexes.filter((i) => i.name === '_id_');
    return;
  }
  const targets = Array.isArray(index) ? index : [index];
  for (const target of targets) {
    const found =
      typeof target === 'string'
        ? coll.indexes.find((i) => i.name === target)
        : coll.indexes.find((i) => target !== null && typeof target === 'object' && sameKey(i.key, target as Document));
    if (!found) throw new CommandError('IndexNotFound', `index not found with name [${shellString(target)}]`);
    if (found.name === '_id_') throw new CommandError('InvalidOptions', 'cannot drop _id index');
    coll.indexes = coll.indexes.filter((i) => i !== found);
  }
}
