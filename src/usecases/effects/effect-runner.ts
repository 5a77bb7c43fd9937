// Carries out stored effects after the user has been answered: serially per incident (a channel
// must exist before its header is posted), concurrently across incidents, with retries.

import { randomUUID } from 'node:crypto';

import { coalescesWithPending, type Effect, type EffectKind } from '../../domain/effects';
import { incidentKey, type Incident } from '../../domain/incident';
import type { Outbox } from '../../ports/outbox';
import { systemScheduler, type Cancel, type Scheduler } from '../../ports/scheduler';
import { tellDeclarer } from './channel-effects';
import { ClaimRenewal } from './claim-renewal';
import { EffectPreconditionError, type EffectContext } from './effect-context';
import { nextEffect } from './effect-order';
import { DEFAULT_LEASE_MS, DEFAULT_RETRY_BUDGET_MS } from './outbox-defaults';
import { runEffect } from './run-effect';

/** What the people in the channel read when an effect is given up. */
const WHAT_FAILED: Record<EffectKind, string> = {
  'channel.create': 'create the incident channel',
  'channel.invite': 'invite everyone into this channel',
  'channel.describe': "set this channel's topic and purpose",
  'header.post': 'post and pin the incident header',
  'header.update': 'update the pinned header',
  announce: 'announce the incident',
  'announcement.update': 'update the announcement card',
  reminder: 'post a reminder',
  'declarer.reply': 'send the declarer the link to this channel',
  'channel.post': 'post an update here',
  'user.notify': 'send a private note',
  'escalation.page': 'page the next people',
  'escalation.notify': 'send a page by DM',
  'escalation.settle': 'update the page DMs',
  'postmortem.publish': 'post the postmortem draft (it is saved: `/incident postmortem` tries again)',
  'postmortem.export': 'export the postmortem to Confluence (it is saved: press Export again later)',
  'ticket.create': 'file the action item as a ticket (it is saved: `/incident action … --ticket` tries again)',
  'tickets.sync': 'read the tickets back from the tracker (the postmortem shows their last known status)',
  'tickets.link': 'link the tickets to the postmortem page',
  'channel.archive': 'archive this channel (do it by hand from the channel settings)',
};
const MAX_BACKOFF_MS = 60_000;
const POLL_MS = 1_000;

export function backoffMs(attempts: number, retryAfterMs?: number): number {
  const exponential = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempts);
  return Math.max(exponential, retryAfterMs ?? 0);
}

/** Adapters' errors say whether retrying may help (ChatError, ConfluenceError); others are retried. */
function isPermanent(error: unknown): boolean {
  if (error instanceof EffectPreconditionError) return true;
  const transient = (error as { transient?: unknown } | null)?.transient;
  return typeof transient === 'boolean' && !transient;
}

function retryAfterOf(error: unknown): number | undefined {
  const ms = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof ms === 'number' ? ms : undefined;
}

export interface EffectRunnerOptions {
  /** How long a claim lasts unless renewed (ms). */
  leaseMs?: number;
  /** How long transient failures are retried from the first attempt (ms). */
  retryBudgetMs?: number;
  /** Its poll, wake-ups and claim renewals wait through this (tests steer it). */
  scheduler?: Scheduler;
}

export class EffectRunner {
  private readonly draining = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly timers = new Map<string, { cancel: Cancel; at: number }>();
  /** `incidentId kind` → when that incident's last effect of a rendering kind ran. */
  private readonly lastRender = new Map<string, number>();
  private stopPolling?: Cancel;
  private stopped = false;

  /** Claims name this process, so several bot processes sharing a store never run one effect twice. */
  readonly owner = `effects-${randomUUID()}`;
  private readonly leaseMs: number;
  private readonly retryBudgetMs: number;
  private readonly scheduler: Scheduler;

  constructor(
    private readonly ctx: EffectContext,
    private readonly outbox: Outbox,
    options: EffectRunnerOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.retryBudgetMs = options.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS;
    this.scheduler = options.scheduler ?? systemScheduler;
  }

  /** Polls for due effects (e.g. after a restart, or retries whose time came). */
  start(): void {
    this.stopped = false;
    void this.sweep();
    this.stopPolling = this.scheduler.every(POLL_MS, () => this.sweep());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopPolling?.();
    for (const { cancel } of this.timers.values()) cancel();
    this.timers.clear();
    await this.idle();
  }

  /** Resolves when no incident's queue is being worked on (tests and shutdown wait on it). */
  async idle(): Promise<void> {
    while (this.draining.size > 0) await Promise.allSettled([...this.draining.values()]);
  }

  /** Work on this incident's queue now; cheap to call often. */
  kick(incidentId: string): void {
    if (this.stopped) return;
    if (this.draining.has(incidentId)) {
      this.again.add(incidentId);
      return;
    }
    const run = this.drain(incidentId)
      .catch((error: unknown) => this.ctx.logger.error({ incidentId, err: error }, 'effect queue failed'))
      .finally(() => {
        this.draining.delete(incidentId);
        if (this.again.delete(incidentId)) this.kick(incidentId);
      });
    this.draining.set(incidentId, run);
  }

  private async sweep(): Promise<void> {
    try {
      for (const id of await this.outbox.dueIncidents(this.ctx.clock.now())) this.kick(id);
    } catch (error) {
      this.ctx.logger.warn({ err: error }, 'could not poll pending effects');
    }
  }

  private async drain(incidentId: string): Promise<void> {
    while (!this.stopped) {
      const pending = await this.outbox.pending(incidentId);
      const { head, waitMs } = nextEffect(pending, this.ctx.clock.now(), (kind) => this.lastRender.get(`${incidentId} ${kind}`));
      if (!head) {
        if (waitMs !== undefined) this.wakeLater(incidentId, waitMs);
        return;
      }
      const incident = await this.ctx.store.getIncident(incidentId);
      if (!incident) {
        await this.outbox.abandon(head.id, 'incident not found');
        continue;
      }
      if (!(await this.outbox.claim(head.id, this.owner, this.ctx.clock.now(), this.leaseMs))) {
        // Another process is working on this incident's queue; look again later.
        this.wakeLater(incidentId, POLL_MS);
        return;
      }
      await this.runOne(incident, head, pending);
    }
  }

  private async runOne(incident: Incident, effect: Effect, pending: Effect[]): Promise<void> {
    const log = this.ctx.logger.child({ incidentId: incident.id, incident: incidentKey(incident), effect: effect.spec.kind, effectId: effect.id });
    const renewal = new ClaimRenewal(this.outbox, this.ctx.clock, this.scheduler, { effectId: effect.id, owner: this.owner, leaseMs: this.leaseMs }, log);
    try {
      try {
        await runEffect(this.ctx, incident, effect);
      } finally {
        // Before the outcome is stored, so no renewal is under way once it is (the outbox refuses a late one anyway).
        await renewal.stop();
      }
      const kind = effect.spec.kind;
      if (coalescesWithPending(effect.spec)) {
        this.lastRender.set(`${incident.id} ${kind}`, this.ctx.clock.now());
        // Coalescing (coalescesWithPending): it rendered the state current when it ran, so the others
        // of its kind read before it was claimed (a retried one waiting out its backoff; one stored
        // while it ran is not among them and still runs) have nothing to add: all done in one write.
        const covered = pending.filter((other) => other.id !== effect.id && other.spec.kind === kind);
        await this.outbox.complete([effect.id, ...covered.map((other) => other.id)]);
      } else {
        await this.outbox.complete([effect.id]);
      }
      log.debug('effect done');
    } catch (error) {
      await this.handleFailure(incident, effect, error, log);
    }
  }

  private async handleFailure(incident: Incident, effect: Effect, error: unknown, log: EffectContext['logger']): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    const now = this.ctx.clock.now();
    const delay = backoffMs(effect.attempts, retryAfterOf(error));
    // `startedAt` is unset on the first attempt (it was read before this attempt's claim set it).
    const outOfTime = now + delay - (effect.startedAt ?? now) > this.retryBudgetMs;
    if (isPermanent(error) || outOfTime) {
      log.error({ err: error, attempts: effect.attempts + 1 }, 'effect abandoned');
      await this.outbox.abandon(effect.id, reason);
      await this.reportAbandoned(incident, effect, reason);
      return;
    }
    log.warn({ err: error, attempts: effect.attempts + 1, retryInMs: delay }, 'effect failed, will retry');
    await this.outbox.retry(effect.id, now + delay, reason);
  }

  /**
   * The people in the channel learn what did not happen, instead of it failing silently; without a
   * channel (its creation was given up), the declarer, who was promised a link, does.
   */
  private async reportAbandoned(incident: Incident, effect: Effect, reason: string): Promise<void> {
    const channelId = incident.chat?.channelId;
    try {
      if (effect.spec.kind === 'channel.create' && !channelId) {
        await tellDeclarer(
          this.ctx,
          incident,
          `:warning: I could not create the channel for ${incidentKey(incident)} "${incident.title}": ${reason}. The incident is recorded, but without a channel nobody can run it in Slack: declare it again with \`/incident start\` once Slack lets me create channels (ask an admin if it keeps failing).`,
        );
        return;
      }
      if (!channelId || effect.spec.kind === 'channel.post') return;
      await this.ctx.chat.postMessage(channelId, { text: `:warning: I could not ${WHAT_FAILED[effect.spec.kind]} for ${incidentKey(incident)}: ${reason}.` });
    } catch (error) {
      this.ctx.logger.warn({ err: error, incidentId: incident.id }, 'could not report an abandoned effect');
    }
  }

  /** One timer per incident, for the earliest wake asked for (a reminder hours away must not delay a header). */
  private wakeLater(incidentId: string, ms: number): void {
    const at = this.ctx.clock.now() + ms;
    const existing = this.timers.get(incidentId);
    if (existing && existing.at <= at) return;
    existing?.cancel();
    const cancel = this.scheduler.after(ms, () => {
      this.timers.delete(incidentId);
      this.kick(incidentId);
      return this.draining.get(incidentId);
    });
    this.timers.set(incidentId, { cancel, at });
  }
}
