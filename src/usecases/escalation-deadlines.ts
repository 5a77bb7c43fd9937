// A level that is not acknowledged in time pages the next one. Deadlines are stored, claimed
// atomically (one process fires each), and re-checked under optimistic concurrency, so a
// deadline that passed while the bot was down fires once at startup, and an acknowledgement that
// lands while it fires wins.

import type { EffectSpec } from '../domain/effects';
import { targetData, timeOutLevel, type Escalation } from '../domain/escalation';
import type { NewTimelineEvent } from '../domain/timeline';
import { EscalationConflictError } from '../ports/incident-store';
import type { UseCaseDeps } from './context';
import { paged, said, user } from '../domain/said';

export interface DeadlineRun {
  fired: number;
}

const CLAIM_BATCH = 20;

/** Fires every due deadline this process can claim. */
export async function fireDueDeadlines(deps: UseCaseDeps, owner: string, leaseMs: number): Promise<DeadlineRun> {
  const claimed = await deps.store.claimDueEscalations(deps.clock.now(), owner, leaseMs, CLAIM_BATCH);
  let fired = 0;
  for (const escalation of claimed) {
    try {
      if (await fireDeadline(deps, escalation)) fired++;
      else await deps.store.releaseEscalation(escalation.id, owner);
    } catch (error) {
      await deps.store.releaseEscalation(escalation.id, owner);
      // Someone acknowledged or cancelled meanwhile: their write won, nothing to fire.
      if (!(error instanceof EscalationConflictError)) throw error;
    }
  }
  return { fired };
}

async function fireDeadline(deps: UseCaseDeps, escalation: Escalation): Promise<boolean> {
  const now = deps.clock.now();
  const { escalation: next, outcome } = timeOutLevel(escalation, now);
  if (outcome.kind === 'not_due') return false;
  const event = (step: string, level: number, text: string): NewTimelineEvent => ({
    incidentId: escalation.incidentId,
    kind: 'escalation',
    at: now,
    recordedAt: now,
    text,
    // Deterministic: a second process that somehow got here records nothing twice.
    sourceId: `esc:${escalation.id}:${step}:${level}`,
    data: { step, escalationId: escalation.id, level, ...targetData(escalation.target) },
  });
  const timedOut = escalation.currentLevel;
  const events = [event('timed_out', timedOut, '')];
  const effects: EffectSpec[] = [{ kind: 'header.update' }];
  if (outcome.kind === 'next_level') {
    events.push(event('paged', outcome.level, escalation.reason ?? ''));
    effects.unshift({ kind: 'escalation.page', escalationId: escalation.id, level: outcome.level });
  } else {
    events.push(event('exhausted', timedOut, ''));
    effects.unshift(
      {
        kind: 'channel.post',
        text: said`:warning: Nobody acknowledged the page to ${paged(escalation.target)} — all ${escalation.levels.length} level${escalation.levels.length === 1 ? ' was' : 's were'} paged. I have stopped paging; page someone directly with \`/incident escalate @person\`. (Requested by ${user(escalation.requestedBy)}.)`,
      },
      { kind: 'escalation.settle', escalationId: escalation.id },
    );
  }
  const result = await deps.store.applyChange({
    incidentId: escalation.incidentId,
    now,
    events,
    effects,
    escalations: [{ escalation: next, expectedVersion: escalation.version }],
  });
  return !result.duplicate;
}
