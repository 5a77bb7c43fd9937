// Server-side cursors. Results are materialised when the cursor opens (a snapshot, like a
// snapshot read), then handed out in batches by find/aggregate and getMore.
import { Long, type Document } from 'bson';
import { CommandError } from './errors';

/** MongoDB's default first batch for find/aggregate when the client gives no batchSize. */
const DEFAULT_FIRST_BATCH = 101;

interface OpenCursor {
  ns: string;
  remaining: Document[];
}

export class CursorRegistry {
  private readonly open = new Map<number, OpenCursor>();
  private nextId = 1;

  /** Builds a find/aggregate reply; leftovers stay open under a fresh non-zero id. */
  first(ns: string, docs: Document[], batchSize: unknown, singleBatch = false): Document {
    const size = typeof batchSize === 'number' && batchSize > 0 ? batchSize : DEFAULT_FIRST_BATCH;
    const firstBatch = singleBatch ? docs : docs.slice(0, size);
    const remaining = docs.slice(firstBatch.length);
    let id = 0;
    if (remaining.length > 0) {
      id = this.nextId++;
      this.open.set(id, { ns, remaining });
    }
    return { cursor: { firstBatch, id: Long.fromNumber(id), ns } };
  }

  getMore(cmd: Document, db: string): Document {
    const id = Number(cmd.getMore);
    const cursor = this.open.get(id);
    const ns = `${db}.${String(cmd.collection)}`;
    if (!cursor || cursor.ns !== ns) throw new CommandError('CursorNotFound', `cursor id ${id} not found`);
    const size = typeof cmd.batchSize === 'number' && cmd.batchSize > 0 ? cmd.batchSize : cursor.remaining.length;
    const nextBatch = cursor.remaining.splice(0, size);
    if (cursor.remaining.length === 0) this.open.delete(id);
    return { cursor: { nextBatch, id: Long.fromNumber(this.open.has(id) ? id : 0), ns } };
  }

  kill(cmd: Document): Document {
    const ids = Array.isArray(cmd.cursors) ? cmd.cursors.map(Number) : [];
    const killed = ids.filter((id) => this.open.delete(id));
    const notFound = ids.filter((id) => !killed.includes(id));
    const asLongs = (xs: number[]): Long[] => xs.map((x) => Long.fromNumber(x));
    return { cursorsKilled: asLongs(killed), cursorsNotFound: asLongs(notFound), cursorsAlive: [], cursorsUnknown: [] };
  }

  clear(): void {
    this.open.clear();
  }
}
