// Keeps a claim on an effect while it runs. Claims are short so that a crashed process's work passes
// on soon; renewing them keeps a live process's slow Slack call (an answer that takes long, a
// client-side wait) from passing to another process halfway, which would run the effect twice.

import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logger';
import type { Outbox } from '../../ports/outbox';
import type { Cancel, Scheduler } from '../../ports/scheduler';

/** Renewed this often per lease, so one late renewal (a busy event loop, a slow write) does not lose it. */
const RENEWALS_PER_LEASE = 3;

export interface HeldClaim {
  effectId: number;
  owner: string;
  leaseMs: number;
}

export class ClaimRenewal {
  private readonly cancel: Cancel;
  private renewing?: Promise<void>;

  constructor(
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    scheduler: Scheduler,
    private readonly claim: HeldClaim,
    private readonly logger: Logger,
  ) {
    this.cancel = scheduler.every(Math.max(1, Math.floor(claim.leaseMs / RENEWALS_PER_LEASE)), () => this.renew());
  }

  /** Stops renewing; resolves once a renewal under way has finished, so none lands after the outcome is stored. */
  async stop(): Promise<void> {
    this.cancel();
    await this.renewing;
  }

  private renew(): Promise<void> {
    // A slow store: the renewal under way is enough.
    this.renewing ??= this.renewOnce().finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }

  private async renewOnce(): Promise<void> {
    const { effectId, owner, leaseMs } = this.claim;
    try {
      if (await this.outbox.renew(effectId, owner, this.clock.now(), leaseMs)) return;
      // Only when renewals came later than the lease (the process stalled) and another process took
      // the effect: the call under way cannot be taken back, so say that the effect may run twice.
      this.logger.warn({ effectId }, 'lost the claim on a running effect; another process may run it as well');
    } catch (error) {
      this.logger.warn({ err: error, effectId }, 'could not renew the claim on a running effect');
    }
  }
}
