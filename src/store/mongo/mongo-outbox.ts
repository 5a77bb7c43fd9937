// The MongoDB outbox: the `effects` collection. Effects are inserted by the store's change writes
// (writes.ts), in the change's transaction; this works them. Claims are single-document conditional
// updates, which MongoDB applies atomically, so two processes never hold one effect.

import type { Effect } from '../../domain/effects';
import type { Outbox } from '../../ports/outbox';
import { toEffect } from './documents';
import { guarded } from './errors';
import type { Models } from './schemas';

const LEASE = { leaseOwner: '', leaseUntil: '' } as const;

export class MongoOutbox implements Outbox {
  constructor(private readonly models: Models) {}

  pending(incidentId: string): Promise<Effect[]> {
    return guarded(async () => (await this.models.effect.find({ incidentId, state: 'pending' }).sort({ id: 1 }).lean()).map(toEffect));
  }

  /** Ordered by each incident's oldest due effect, like the SQLite adapter. */
  dueIncidents(now: number): Promise<string[]> {
    return guarded(async () => {
      const due = await this.models.effect
        .find({ state: 'pending', notBefore: { $lte: now } }, { incidentId: 1 })
        .sort({ id: 1 })
        .lean();
      return [...new Set(due.map((doc) => doc.incidentId))];
    });
  }

  /** Of two racing processes only one matches. `$min` sets startedAt on the first claim and keeps it. */
  claim(effectId: number, owner: string, now: number, leaseMs: number): Promise<boolean> {
    return guarded(async () => {
      const filter = { id: effectId, state: 'pending' as const, notBefore: { $lte: now }, $or: [{ leaseUntil: null }, { leaseUntil: { $lte: now } }, { leaseOwner: owner }] };
      const result = await this.models.effect.updateOne(filter, { $set: { leaseOwner: owner, leaseUntil: now + leaseMs }, $min: { startedAt: now } });
      return result.matchedCount === 1;
    });
  }

  renew(effectId: number, owner: string, now: number, leaseMs: number): Promise<boolean> {
    return guarded(async () => {
      // Still named as the owner: nobody else claimed it and no outcome ended the claim.
      const filter = { id: effectId, state: 'pending' as const, leaseOwner: owner };
      const result = await this.models.effect.updateOne(filter, { $set: { leaseUntil: now + leaseMs } });
      return result.matchedCount === 1;
    });
  }

  complete(effectIds: readonly number[]): Promise<void> {
    if (effectIds.length === 0) return Promise.resolve();
    return guarded(async () => void (await this.models.effect.updateMany({ id: { $in: [...effectIds] } }, { $set: { state: 'done' }, $unset: LEASE })));
  }

  retry(effectId: number, notBefore: number, error: string): Promise<void> {
    return guarded(async () => {
      await this.models.effect.updateOne({ id: effectId }, { $inc: { attempts: 1 }, $set: { notBefore, lastError: error }, $unset: LEASE });
    });
  }

  abandon(effectId: number, error: string): Promise<void> {
    return guarded(async () => {
      await this.models.effect.updateOne({ id: effectId }, { $inc: { attempts: 1 }, $set: { state: 'abandoned', lastError: error }, $unset: LEASE });
    });
  }
}
