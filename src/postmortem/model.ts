// The postmortem as decided content. The compiler makes every decision (what is known, what is
// missing, how times read); renderers (Markdown, later Confluence) only lay it out and escape it.
// All strings are plain text: renderers must escape them for their format.

import type { IncidentStatus, Severity } from '../domain/incident';
import type { TimelineKind } from '../domain/timeline';

/** Facts that can be absent from a draft. */
export type MissingField = 'end' | 'impact' | 'rootCause' | 'resolution' | 'timeline' | 'actionItems' | 'timeToAcknowledge' | 'timeToMitigate' | 'timeToResolve' | 'conclusion';

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
  /** Where the entry came from (a message added from another channel): a link to the original. */
  source?: { label: string; url: string };
}

/** One change to the record after the fact (domain/corrections.ts), for the audit appendix. */
export interface CorrectionRow {
  /** When the correction was made. */
  time: string;
  by: string;
  /** "edited the note of 1:10 PM (EAT)", "removed the action item of 2:30 PM (EAT)". */
  what: string;
  /** Plain text before the change. */
  before: string;
  /** Plain text after an edit; absent for a removal. */
  after?: string;
}

export interface ActionItem {
  text: string;
  /** Owner's display name, when someone owns it. */
  owner?: string;
  /** Its ticket in the team's tracker, as last read: "OPS-12", "open" / "done" / "won't do". */
  ticket?: { key: string; url: string; state: string; /** Done or won't do: nothing left to do. */ settled: boolean };
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

/** Someone (or a user group) a level paged. */
export interface Recipient {
  kind: 'user' | 'usergroup';
  id: string;
  /** A person's display name ("Brian Otieno"); a group's handle ("@platform-oncall"). */
  name: string;
  /** Why their page could not be delivered (a chat error code such as `user_disabled`). */
  notNotified?: string;
}

/** One level of an escalation, as paged. */
export interface PagedLevel {
  /** 1-based, as people count levels. */
  level: number;
  pagedAtMs: number;
  /** Like timeline times: "2:00 PM (EAT)". */
  pagedAt: string;
  /** The people paged once user groups were expanded; the level's groups while they were not. */
  recipients: readonly Recipient[];
  timedOutAtMs?: number;
  timedOutAt?: string;
}

export type EscalationTrigger =
  /** `label`: "manual, by Amina Odhiambo" */
  | { kind: 'manual'; by: Person; label: string }
  /** `label`: "automatic, for sev1" (the severity in force when it paged). */
  | { kind: 'automatic'; severity: string; label: string };

/** How an escalation ended; `label` is the sentence, e.g. "Acknowledged by … at … after 7 minutes". */
export type EscalationOutcome =
  | { kind: 'acknowledged'; by?: Person; atMs?: number; at?: string; label: string }
  | { kind: 'exhausted'; atMs?: number; at?: string; label: string }
  | { kind: 'cancelled'; atMs?: number; at?: string; label: string }
  | { kind: 'paging'; label: string };

export interface EscalationRow {
  id: string;
  targetKind: 'user' | 'usergroup' | 'policy';
  /** "policy platform-oncall", "@platform-oncall", "@Chebet Kiprono" */
  target: string;
  trigger: EscalationTrigger;
  /** Plain text; absent when none was given. */
  reason?: string;
  /** First page. */
  pagedAtMs: number;
  pagedAt: string;
  levels: readonly PagedLevel[];
  outcome: EscalationOutcome;
  /** First page to acknowledgement; absent unless acknowledged. */
  timeToAcknowledge?: { ms: number; duration: string };
}

/** Escalations in paging order, or the sentence saying there were none (a fact, not a gap). */
export type EscalationsSection = { kind: 'rows'; rows: readonly EscalationRow[] } | { kind: 'none'; text: string };

/** One stakeholder update (/incident update), as posted. */
export interface CommunicationRow {
  at: number;
  /** Like timeline times: "1:15 PM (EAT)". */
  time: string;
  author: string;
  /** The status the update announced, e.g. "investigating". */
  status: string;
  /** Plain text; may contain newlines. */
  known: string;
  doing?: string;
  need?: string;
  /** When the next update was promised: "1:45 PM (EAT)". */
  nextBy?: string;
}

/** Updates in posting order, or the sentence saying none was posted (a fact, not a gap). */
export type CommunicationsSection = { kind: 'rows'; rows: readonly CommunicationRow[] } | { kind: 'none'; text: string };

/** Key Metrics' "Time between updates": how long stakeholders waited for news. */
export interface UpdateGapsRow {
  label: string;
  value:
    | {
        kind: 'measured';
        averageMs: number;
        longestMs: number;
        /** "12 minutes" */
        average: string;
        longest: string;
        /** When the longest wait ended: "2:05 PM (EAT)". */
        longestEndedAt: string;
        /** "3 updates, declaration to resolution" */
        basis: string;
      }
    | { kind: 'none'; text: string };
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
  /** Pages sent during the incident; placed right after the timeline. */
  escalations: EscalationsSection;
  /** Stakeholder updates; placed after the escalations. */
  communications: CommunicationsSection;
  actionItems: readonly ActionItem[] | Placeholder;
  /** Acknowledge, mitigate, resolve — in that order. */
  metrics: readonly MetricRow[];
  /** Shown with the metrics, after time to resolve. */
  updateGaps: UpdateGapsRow;
  conclusion: Text;
  /** Entries edited or removed after they were recorded, oldest first; the appendix is left out when empty. */
  corrections: readonly CorrectionRow[];
  /** Every placeholder above, one per field, in document order. */
  missing: readonly Placeholder[];
  compiledAt: { ms: number; formatted: string };
}
