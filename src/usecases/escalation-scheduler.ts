// Looks for due escalation deadlines: every second, and right after start (so deadlines that
// passed while the bot was down fire once). Each process has its own owner id for claims.

import { randomUUID } from 'node:crypto';

import type { Logger } from '../app/logger';
import type { UseCaseDeps } from './context';
import { fireDueDeadlines } from './escalation-deadlines';

const POLL_MS = 1_000;
/** Longer than firing one deadline can take; a crashed process's claims pass on after it. */
const LEASE_MS = 30_000;

export class EscalationScheduler {
  readonly owner = `bot-${randomUUID()}`;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly deps: UseCaseDeps,
    private readonly logger: Logger,
    /** Called after deadlines fired, so the effects they queued run at once. */
    private readonly onFired: () => void,
  ) {}

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), POLL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
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
