// The postmortem as decided content. The compiler makes every decision (what is known, what is
// missing, how times read); renderers (Markdown, later Confluence) only lay it out and escape it.
// All strings are plain text: renderers must escape them for their format.

import type { IncidentStatus, Severity } from '../domain/incident';
import type { TimelineKind } from '../domain/timeline';

/** Facts that can be absent from a draft. */
export type MissingField =
  | 'end'
  | 'impact'
  | 'rootCause'
  | 'resolution'
  | 'timeline'
  | 'actionItems'
  | 'timeToAcknowledge'
  | 'timeToMitigate'
  | 'timeToResolve'
  | 'conclusion';

/**
 * Why a fact is absent:
 * - `to-complete`: a person should write it (the hint says what and how);
 * - `not-captured`: the bot never saw it happen, so it cannot be filled in by writing prose;
 * - `ongoing`: it has not happened yet.
 */
export type PlaceholderReason = 'to-complete' | 'not-captured' | 'ongoing';

/** Stands in for a missing fact, so each renderer can style it and nothing is ever invented. */
export interface Placeholder {
  readonly kind: 'placeholder';
  readonly field: MissingField;
  readonly reason: PlaceholderReason;
  /** Plain-text instruction, e.g. "describe the customer impact (/incident impact …)". */
  readonly hint: string;
}

/** A plain-text fact, or the marker saying it is missing. */
export type Text = string | Placeholder;

export function isPlaceholder(value: unknown): value is Placeholder {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'placeholder';
}

export interface Person {
  id: string;
  /** Display name; the user id when no name is known. */
  name: string;
}

export interface RoleAssignment {
  /** Role as stored (lower case), e.g. "communications". */
  role: string;
  /** Role as a label, e.g. "Communications". */
  label: string;
  person: Person;
}

/** Where the outage starts and ends: declaration to resolution. */
export interface OutageWindow {
  startMs: number;
  endMs?: number;
  durationMs?: number;
  /** Where the end came from; `closed` means no resolution time was recorded. */
  endSource: 'resolved' | 'closed' | 'ongoing';
  /** "March 3, 2023, 1:00 PM" (zone in `zone`). */
  start: string;
  /** "3:00 PM"; "March 4, 2023, 1:00 AM" when the window spans days. */
  end: Text;
  /** "(EAT)"; "(CET → CEST)" when the offset changes within the window. */
  zone: string;
  /** "2 hours" */
  duration: Text;
  /** Caveat about the end, e.g. when it is the closing time rather than the resolution. */
  endNote?: string;
  spansDays: boolean;
}

export interface TimelineRow {
  at: number;
  /** "1:15 PM (EAT)", or "March 3, 2023, 1:15 PM (EAT)" when the incident spans several days. */
  time: string;
  /** Display name of who did it; absent for the bot's own entries. */
  author?: string;
  kind: TimelineKind;
  /** "Note", "Status → monitoring", "Severity sev2 → sev1" … */
  kindLabel: string;
  /** Plain text (Slack markup decoded); may contain newlines. */
  text: string;
}

export interface ActionItem {
  text: string;
  /** Owner's display name, when someone owns it. */
  owner?: string;
}

export interface MetricValue {
  ms: number;
  /** "5 minutes" */
  duration: string;
  /** "first acknowledgement" */
  basis: string;
  /** When it was measured to, "1:05 PM (EAT)" (with the date when the incident spans days). */
  at: string;
}

export interface MetricRow {
  key: 'timeToAcknowledge' | 'timeToMitigate' | 'timeToResolve';
  /** "Time to acknowledge" */
  label: string;
  value: MetricValue | Placeholder;
}

export interface PostmortemModel {
  title: string;
  /** "INC-42" */
  key: string;
  severity: Severity;
  status: IncidentStatus;
  commander: Person;
  /** Sorted by role name; the commander is not repeated here. */
  roles: readonly RoleAssignment[];
  /** IANA id and the abbreviation in force at declaration, e.g. Africa/Nairobi, EAT. */
  timeZone: { id: string; abbreviation: string };
  window: OutageWindow;
  impact: Text;
  rootCause: {
    /** First sentence, for the summary. */
    summary: Text;
    full: Text;
  };
  resolution: Text;
  timeline: readonly TimelineRow[] | Placeholder;
  actionItems: readonly ActionItem[] | Placeholder;
  /** Acknowledge, mitigate, resolve — in that order. */
  metrics: readonly MetricRow[];
  conclusion: Text;
  /** Every placeholder above, one per field, in document order. */
  missing: readonly Placeholder[];
  compiledAt: { ms: number; formatted: string };
}
