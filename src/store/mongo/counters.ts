// Counter documents ({ _id: key, last }) outside transactions: creating them, raising them, and
// reserving blocks for the import. Allocation inside a change is Writes.allocate.

import { isDuplicateKey } from './errors';
import type { Models } from './schemas';

export class Counters {
  /** Keys known to exist; a counter is never deleted while the store runs. */
  private readonly known = new Set<string>();

  constructor(private readonly models: Models) {}

  /**
   * Creates the counter at 0 if it is missing. Done before the transaction that increments it:
   * two transactions each upserting the same new document would fail on the _id index.
   */
  async ensure(key: string): Promise<void> {
    if (this.known.has(key)) return;
    try {
      await this.models.counter.updateOne({ _id: key }, { $setOnInsert: { last: 0 } }, { upsert: true });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error; // a concurrent ensure created it
    }
    this.known.add(key);
  }

  /** Raises the counter to at least `value`; a no-op write when it is already there. */
  async atLeast(key: string, value: number): Promise<void> {
    await this.ensure(key);
    await this.models.counter.updateOne({ _id: key, last: { $lt: value } }, { $set: { last: value } });
  }

  /** Reserves `count` consecutive values and returns the first. Not transactional: a failed caller leaves a gap. */
  async reserve(key: string, count: number): Promise<number> {
    await this.ensure(key);
    const counter = await this.models.counter.findOneAndUpdate({ _id: key }, { $inc: { last: count } }, { returnDocument: 'after' }).lean();
    if (!counter) throw new Error(`Counter ${key} is missing`);
    return counter.last - count + 1;
  }
}
