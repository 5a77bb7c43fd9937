// Fixing the record: the author of a timeline entry, or the commander, edits its text or removes it.
// The change is a `correction` entry (the original stays, so the audit trail is complete), said in
// the channel; impact and root cause follow the corrected record. Works after close too: fixing
// the record is what a postmortem review does.

import { AppError } from './errors';
import { truncate } from '../shared/truncate';
import { applyCorrections, mayCorrect, type CorrectionChange } from '../domain/corrections';
import { incidentKey, type Incident, type IncidentPatch } from '../domain/incident';
import { formatClockTime } from '../domain/time-format';
import { compareEvents, TIMELINE_KIND_LABELS, type TimelineEvent } from '../domain/timeline';
import { ticketFor } from '../domain/tickets';
import type { IncidentStore } from '../ports/incident-store';
import type { Invocation, UseCaseDeps } from './context';
import { recordChange } from './record-change';
import { said, user, type Text } from '../domain/said';

/** Longest text an entry may be edited to (Slack's own message limit is far above what a timeline line needs). */
export const MAX_ENTRY_TEXT = 3000;

/** The entry recorded by this source as it reads now; undefined when it was removed (or never existed). */
export async function currentEntryBySource(store: IncidentStore, sourceId: string): Promise<TimelineEvent | undefined> {
  const original = await store.findEventBySource(sourceId);
  if (!original) return undefined;
  // Its incident's corrections only: this runs on a button's acknowledgement path.
  return applyCorrections([original, ...(await store.listCorrections(original.incidentId))]).find((e) => e.id === original.id);
}

/** Names an entry from a button or a form: its incident and its own id. */
export interface EntryRef {
  incidentId: string;
  eventId: string;
}

export function entryRefValue(ref: EntryRef): string {
  return `${ref.incidentId}/${ref.eventId}`;
}

export function parseEntryRef(value: string): EntryRef | undefined {
  const [incidentId, eventId, ...rest] = value.split('/');
  return incidentId && eventId && rest.length === 0 ? { incidentId, eventId } : undefined;
}

/** The entry as it reads now (corrections applied), for the edit form. */
export async function correctableEntry(deps: UseCaseDeps, userId: string, ref: EntryRef): Promise<{ incident: Incident; entry: TimelineEvent; timeline: TimelineEvent[] }> {
  const found = await findEntry(deps, ref);
  if (!mayCorrect(found.incident, found.entry, userId)) throw notYours(found.incident);
  return found;
}

export async function editEntry(deps: UseCaseDeps, who: Invocation, ref: EntryRef, text: string): Promise<{ text: Text }> {
  const cleaned = text.trim();
  if (!cleaned) throw new AppError('invalid_input', 'An entry cannot be empty: remove it instead.');
  if (cleaned.length > MAX_ENTRY_TEXT) throw new AppError('invalid_input', `Keep an entry under ${MAX_ENTRY_TEXT} characters.`);
  const found = await correctableEntry(deps, who.userId, ref);
  if (found.entry.text === cleaned) return { text: 'Nothing changed: the entry already reads so.' };
  return correct(deps, who, found, 'edit', cleaned);
}

export async function removeEntry(deps: UseCaseDeps, who: Invocation, ref: EntryRef): Promise<{ text: Text }> {
  return correct(deps, who, await correctableEntry(deps, who.userId, ref), 'remove', '');
}

async function findEntry(deps: UseCaseDeps, ref: EntryRef): Promise<{ incident: Incident; entry: TimelineEvent; timeline: TimelineEvent[] }> {
  const incident = await deps.store.getIncident(ref.incidentId);
  const timeline = incident ? await deps.store.listTimeline(incident.id) : [];
  const entry = applyCorrections(timeline).find((e) => e.id === ref.eventId);
  if (!incident || !entry) throw new AppError('not_found', 'That entry is no longer on the timeline (it was removed, or the incident is gone).');
  return { incident, entry, timeline };
}

function notYours(incident: Incident): AppError {
  return new AppError('forbidden', said`Only whoever recorded an entry, or the commander of ${incidentKey(incident)} (${user(incident.commanderId)}), can fix it.`);
}

async function correct(
  deps: UseCaseDeps,
  who: Invocation,
  { incident, entry, timeline }: { incident: Incident; entry: TimelineEvent; timeline: TimelineEvent[] },
  change: CorrectionChange,
  text: string,
): Promise<{ text: Text }> {
  const label = TIMELINE_KIND_LABELS[entry.kind].toLowerCase();
  const when = formatClockTime(entry.at, deps.settings.timeZone);
  const line =
    change === 'edit'
      ? said`:pencil2: ${user(who.userId)} corrected the ${label} of ${when}: ${truncate(text, 500)} _(was: ${truncate(entry.text, 300)})_`
      : said`:wastebasket: ${user(who.userId)} removed the ${label} of ${when} from the record: ~${truncate(entry.text, 300)}~`;
  const data = { target: entry.id, change, before: entry.text };
  // The correction as it will be stored, so the fields that follow the record see it.
  const correction: TimelineEvent = { ...entry, id: '(pending)', kind: 'correction', text, data, recordedAt: deps.clock.now() };
  await recordChange(deps, who, incident, {
    kind: 'correction',
    text,
    data,
    patch: followingFields(incident, [...timeline, correction], entry),
    effects: [{ kind: 'channel.post', text: line }],
  });
  const ticket = entry.kind === 'action' && change === 'remove' ? ticketFor(incident.tickets, entry.sourceId) : undefined;
  const closed = incident.status === 'closed' ? ' Run `/incident postmortem` to recompile the draft with it.' : '';
  return { text: `Done: the ${label} of ${when} ${change === 'edit' ? 'is corrected' : 'is removed'}.${ticket ? ` Its ticket ${ticket.key} stays in the tracker.` : ''}${closed}` };
}

/** Impact and root cause are the latest such entries: a correction of one of those changes them. */
function followingFields(incident: Incident, timeline: TimelineEvent[], entry: TimelineEvent): IncidentPatch | undefined {
  const field = entry.kind === 'impact' ? 'impact' : entry.kind === 'cause' ? 'rootCause' : undefined;
  if (!field) return undefined;
  const latest = applyCorrections(timeline)
    .filter((e) => e.kind === entry.kind && e.text.trim())
    .sort(compareEvents)
    .at(-1);
  const value = latest?.text;
  return incident[field] === value ? undefined : { [field]: value };
}
