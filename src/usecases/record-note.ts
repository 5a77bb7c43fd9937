import { AppError } from './errors';
import { parseBackdatedNote } from '../domain/backdate';
import { formatClockTime, formatDateTime, sameDay } from '../domain/time-format';
import type { Invocation, Reply, UseCaseDeps } from './context';
import { incidentIdForChannel } from './incident-lookup';
import { said, user } from '../domain/said';

/** A timeline note; a leading time ("13:15", "1:15pm", "15m ago") backdates it. */
export async function recordNote(deps: UseCaseDeps, who: Invocation, text: string): Promise<Reply> {
  const incidentId = await incidentIdForChannel(deps.store, who.channelId, 'note');
  const now = deps.clock.now();
  const parsed = parseBackdatedNote(text, { now, timeZone: deps.settings.timeZone });
  if (!parsed.ok) throw new AppError('invalid_input', parsed.error);
  const result = await deps.store.applyChange({
    incidentId,
    now,
    events: [
      {
        incidentId,
        kind: 'note',
        at: parsed.at,
        recordedAt: now,
        actorId: who.userId,
        text: parsed.text,
        sourceId: who.sourceId,
        ...(parsed.backdated ? { data: { backdated: true } } : {}),
      },
    ],
    effects: [{ kind: 'header.update' }],
  });
  const at = result.events[0]?.at ?? parsed.at;
  const tz = deps.settings.timeZone;
  const when = sameDay(at, now, tz) ? formatClockTime(at, tz) : formatDateTime(at, tz);
  return {
    inChannel: true,
    text: said`:memo: ${user(who.userId)} noted at ${when}${parsed.backdated ? ' (backdated)' : ''}: ${parsed.text}`,
  };
}
