// Looks for due escalation deadlines: every second, and right after start (so deadlines that
// passed while the bot was down fire once). Each process has its own owner id for claims.

import { randomUUID } from 'node:crypto';

import type { Logger } from '../ports/logger';
import type { Cancel, Scheduler } from '../ports/scheduler';
import type { UseCaseDeps } from './context';
import { fireDueDeadlines } from './escalation-deadlines';

const POLL_MS = 1_000;
/**
 * A crashed process's claims pass on after this, so its due deadlines fire at most this late. Short
 * and never renewed: firing is a few store writes (no Slack call) under optimistic concurrency, so
 * even a claim that lapses mid-fire lets a second process write nothing twice (a version conflict).
 */
const LEASE_MS = 10_000;

export class EscalationScheduler {
  readonly owner = `bot-${randomUUID()}`;
  private cancel?: Cancel;
  private running?: Promise<number>;

  constructor(
    private readonly deps: UseCaseDeps,
    private readonly scheduler: Scheduler,
    private readonly logger: Logger,
    /** Called after deadlines fired, so the effects they queued run at once. */
    private readonly onFired: () => void,
  ) {}

  start(): void {
    void this.tick();
    this.cancel = this.scheduler.every(POLL_MS, () => this.tick());
  }

  async stop(): Promise<void> {
    this.cancel?.();
    this.cancel = undefined;
    await this.running;
  }

  /** One look for due deadlines; returns how many fired. Overlapping calls share one run. */
  tick(): Promise<number> {
    this.running ??= fireDueDeadlines(this.deps, this.owner, LEASE_MS)
      .then(({ fired }) => {
        if (fired > 0) this.onFired();
        return fired;
      })
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'escalation deadlines could not be processed');
        return 0;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
