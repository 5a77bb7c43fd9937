// Value helpers shared by the storage and command layers: copying documents, comparing values the
// way an index does, and printing them the way MongoDB's error messages do.
import { deserialize, serialize, ObjectId, type Document } from 'bson';

/**
 * Stored documents are never mutated in place (a transaction's copy of a collection shares them
 * with the committed copy), so every write works on a deep copy. A BSON round trip keeps ObjectId,
 * Date, Binary… intact, which structuredClone would not.
 */
export function cloneDoc(doc: Document): Document {
  return deserialize(serialize(doc), { promoteLongs: true, promoteValues: true, promoteBuffers: false });
}

export function isPlainObject(v: unknown): v is Document {
  if (v === null || typeof v !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function bsonTypeOf(v: object): string | undefined {
  // bson classes carry a `_bsontype` tag; prefer it to instanceof across package copies.
  const tag = (v as { _bsontype?: unknown })._bsontype;
  return typeof tag === 'string' ? tag : undefined;
}

/**
 * A canonical string for index-key equality. Numbers compare by value whatever their BSON type
 * (1, 1.0 and Long(1) collide in a unique index, as in MongoDB); missing equals null.
 */
export function keyString(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'number') return `n:${v}`;
  if (typeof v === 'bigint') return `n:${v.toString()}`;
  if (typeof v === 'string') return `s:${JSON.stringify(v)}`;
  if (typeof v === 'boolean') return `b:${v}`;
  if (v instanceof Date) return `d:${v.getTime()}`;
  if (v instanceof RegExp) return `r:${v.toString()}`;
  if (Array.isArray(v)) return `[${v.map(keyString).join(',')}]`;
  if (typeof v === 'object') {
    const tag = bsonTypeOf(v);
    if (tag === 'Long' || tag === 'Int32' || tag === 'Double' || tag === 'Decimal128') return `n:${String(v)}`;
    if (tag === 'ObjectId') return `o:${(v as ObjectId).toHexString()}`;
    if (tag !== undefined) return `${tag}:${JSON.stringify(v)}`;
    const entries = Object.entries(v as Document).map(([k, x]) => `${JSON.stringify(k)}:${keyString(x)}`);
    return `{${entries.join(',')}}`;
  }
  return `?:${String(v)}`;
}

/** Renders a value like the server's `dup key: { … }` text (mongo shell syntax). */
export function shellString(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (Array.isArray(v)) return `[ ${v.map(shellString).join(', ')} ]`;
  if (typeof v === 'object') {
    const tag = bsonTypeOf(v);
    if (tag === 'ObjectId') return `ObjectId('${(v as ObjectId).toHexString()}')`;
    if (tag !== undefined) return String(v);
    const entries = Object.entries(v as Document).map(([k, x]) => `${k}: ${shellString(x)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return String(v);
}

/**
 * Values of a dotted path as an index sees them: arrays are expanded element-wise (multikey),
 * an empty array or a missing field yields `undefined` (indexed as null).
 */
export function pathValues(doc: unknown, path: string): unknown[] {
  const [head, ...rest] = path.split('.');
  if (head === undefined) return [doc];
  if (Array.isArray(doc)) {
    if (/^\d+$/.test(head)) return pathValues(doc[Number(head)], rest.join('.'));
    const all = doc.flatMap((el) => pathValues(el, path));
    return all.length === 0 ? [undefined] : all;
  }
  if (doc === null || typeof doc !== 'object') return [undefined];
  const next = (doc as Document)[head];
  if (rest.length > 0) return pathValues(next, rest.join('.'));
  if (Array.isArray(next)) return next.length === 0 ? [undefined] : next;
  return [next];
}

/** True when a path exists at all (sparse indexes skip documents lacking every key field). */
export function hasPath(doc: unknown, path: string): boolean {
  return pathValues(doc, path).some((v) => v !== undefined);
}

/** Puts `_id` first (MongoDB always stores it as the first field) and generates it if missing. */
export function withId(doc: Document): Document {
  const { _id, ...rest } = doc;
  return { _id: _id === undefined ? new ObjectId() : _id, ...rest };
}
