// The outbox: what a change promised to do outside the store (post, page, export), kept until it is
// done. Effects are enqueued by the change itself (`IncidentChange.effects`, written in the change's
// transaction, so a change and its effects are stored together or not at all, and coalesced by
// `coalescesWithPending`); the effect runner carries them out through this port. Adapters implement
// it over the same database as their IncidentStore and pass one contract suite.

import type { Effect } from '../domain/effects';

export interface Outbox {
  /** Pending effects of one incident, oldest first, due or not: the runner decides what runs. */
  pending(incidentId: string): Promise<Effect[]>;
  /** Ids of incidents with at least one effect due at `now`, the one waiting longest first. */
  dueIncidents(now: number): Promise<string[]>;
  /**
   * Takes the effect for `owner` before carrying it out, so several bot processes sharing the store
   * never run one effect twice. Succeeds only if the effect is still pending, due (`notBefore <= now`)
   * and unclaimed, or its claim expired (lease end <= `now`: a crashed process's claims pass on), or
   * already held by `owner`. The claim lasts until `now + leaseMs`. Who holds it and until when is
   * never part of the `Effect`; that it was ever claimed is: the first claim sets `startedAt` to `now`,
   * later ones keep it. False for an unknown id.
   */
  claim(effectId: number, owner: string, now: number, leaseMs: number): Promise<boolean>;
  /**
   * Extends `owner`'s claim to `now + leaseMs` while the effect runs. False when another process has
   * claimed it since (the claim had lapsed: the call under way may run twice), when an outcome ended
   * the claim (complete, retry, abandon: a late renewal must not hold it again), or when it is gone.
   * A lapsed claim nobody took is simply held again.
   */
  renew(effectId: number, owner: string, now: number, leaseMs: number): Promise<boolean>;
  /** Done, in one write; ends any claim on them. Unknown ids are ignored. */
  complete(effectIds: readonly number[]): Promise<void>;
  /** Keep it pending, due again at `notBefore`; ends any claim on it, so any process may take it then. */
  retry(effectId: number, notBefore: number, error: string): Promise<void>;
  /** Give up on it (a permanent error, or out of time); it stays stored with its error for operators. Ends any claim. */
  abandon(effectId: number, error: string): Promise<void>;
}
