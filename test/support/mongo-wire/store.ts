// In-memory databases and collections. Documents are immutable once stored (writes replace the
// array slot with a fresh copy), so a transaction can take a cheap shallow copy of a collection
// and swap it in on commit.
import { UUID, type Document } from 'bson';
import type { IndexSpec } from './indexes';

export interface CollectionData {
  readonly db: string;
  readonly name: string;
  readonly uuid: UUID;
  /** Natural (insertion) order, which is what an unsorted find returns. */
  docs: Document[];
  indexes: IndexSpec[];
}

/** What commands read and write through: the committed data, or a transaction's private copy. */
export interface StoreView {
  get(db: string, name: string): CollectionData | undefined;
  /** Collections are created implicitly by the first write, as in MongoDB. */
  getOrCreate(db: string, name: string): CollectionData;
}

const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

function newCollection(db: string, name: string): CollectionData {
  return { db, name, uuid: new UUID(), docs: [], indexes: [{ ...ID_INDEX }] };
}

function copyCollection(c: CollectionData): CollectionData {
  return { ...c, docs: [...c.docs], indexes: c.indexes.map((i) => ({ ...i })) };
}

export class Storage implements StoreView {
  private readonly dbs = new Map<string, Map<string, CollectionData>>();

  private database(db: string): Map<string, CollectionData> {
    let d = this.dbs.get(db);
    if (!d) {
      d = new Map();
      this.dbs.set(db, d);
    }
    return d;
  }

  get(db: string, name: string): CollectionData | undefined {
    return this.dbs.get(db)?.get(name);
  }

  getOrCreate(db: string, name: string): CollectionData {
    const d = this.database(db);
    let c = d.get(name);
    if (!c) {
      c = newCollection(db, name);
      d.set(name, c);
    }
    return c;
  }

  list(db: string): CollectionData[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  drop(db: string, name: string): CollectionData | undefined {
    const d = this.dbs.get(db);
    const c = d?.get(name);
    d?.delete(name);
    return c;
  }

  dropDatabase(db: string): void {
    this.dbs.delete(db);
  }

  /** Installs a transaction's copy of a collection as the committed one. */
  put(c: CollectionData): void {
    this.database(c.db).set(c.name, c);
  }
}

/**
 * A transaction's view: the first touch of a collection copies it, later reads and writes in the
 * transaction see that copy, and nothing reaches the committed Storage before `commitTo`.
 * Committed data cannot change meanwhile (other writers wait for the transaction lock), so copying
 * on first touch is the same as a snapshot taken at startTransaction.
 */
export class TransactionView implements StoreView {
  private readonly touched = new Map<string, CollectionData>();

  constructor(private readonly base: Storage) {}

  private lookup(db: string, name: string, create: boolean): CollectionData | undefined {
    const ns = `${db}.${name}`;
    let c = this.touched.get(ns);
    if (!c) {
      const committed = this.base.get(db, name);
      if (!committed && !create) return undefined;
      c = committed ? copyCollection(committed) : newCollection(db, name);
      this.touched.set(ns, c);
    }
    return c;
  }

  get(db: string, name: string): CollectionData | undefined {
    return this.lookup(db, name, false);
  }

  getOrCreate(db: string, name: string): CollectionData {
    return this.lookup(db, name, true) as CollectionData;
  }

  commitTo(storage: Storage): void {
    for (const c of this.touched.values()) storage.put(c);
  }
}
