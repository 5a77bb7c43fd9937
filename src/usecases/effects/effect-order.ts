// Which of an incident's pending effects runs next. Pure, so the rules are tested on their own.
//
// - Effects keep their order (a channel must exist before its header is posted): one that is not due
//   yet (a backoff) holds back everything after it,
// - except kinds nothing waits for (RUNS_ON_ITS_OWN: the announcement card, reminders): while one of
//   them is not due, the effects after it go ahead;
// - kinds that render the current state (RENDERS_CURRENT_STATE: the header, the card) run at most
//   once per pace per incident, and not before the latest backoff of any of their pending rows (a 429's
//   Retry-After holds the kind, not just one row); meanwhile everything else goes ahead of them.

import { RENDERS_CURRENT_STATE, RUNS_ON_ITS_OWN, type Effect, type EffectKind } from '../../domain/effects';

/** At most about one edit per second of the same message (Slack's chat.update pace per channel). */
export const RENDER_PACE_MS = 1_000;

export interface NextEffect {
  head?: Effect;
  /** When nothing can run now but something is pending: how long until something may. */
  waitMs?: number;
}

/** `lastRun(kind)`: when this incident's last effect of a rendering kind ran (epoch ms), if ever. */
export function nextEffect(pending: readonly Effect[], now: number, lastRun: (kind: EffectKind) => number | undefined): NextEffect {
  const heldUntil = new Map<EffectKind, number>();
  for (const effect of pending) {
    const kind = effect.spec.kind;
    if (!RENDERS_CURRENT_STATE.has(kind)) continue;
    const paced = (lastRun(kind) ?? -Infinity) + RENDER_PACE_MS;
    heldUntil.set(kind, Math.max(heldUntil.get(kind) ?? paced, paced, effect.notBefore));
  }
  let waitMs: number | undefined;
  const wait = (until: number) => (waitMs = Math.min(waitMs ?? Infinity, until - now));
  for (const effect of pending) {
    const kind = effect.spec.kind;
    const held = heldUntil.get(kind);
    if (held !== undefined && held > now) {
      wait(held);
      continue;
    }
    if (effect.notBefore > now) {
      wait(effect.notBefore);
      if (RUNS_ON_ITS_OWN.has(kind)) continue;
      break;
    }
    return { head: effect };
  }
  return waitMs === undefined ? {} : { waitMs };
}
