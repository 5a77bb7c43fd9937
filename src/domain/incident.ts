// The incident as the team thinks of it. Pure data: no Slack, storage or clock imports here.

import type { ReminderState } from './reminders';
import type { ActionTicket } from './tickets';

export const SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Lifecycle: the four public statuses a responder sets, then `closed` once the postmortem is compiled. */
export const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof STATUSES)[number];
export const SETTABLE_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];

export const DEFAULT_SEVERITY: Severity = 'sev3';

/** Where the incident lives in chat. Kept apart from the incident's own facts. */
export interface ChatLink {
  channelId: string;
  channelName: string;
  /** ts of the pinned header message, once posted. */
  headerTs?: string;
}

export interface Incident {
  id: string;
  /** Human number, allocated per workspace: INC-<number>. */
  number: number;
  teamId: string;
  title: string;
  description?: string;
  severity: Severity;
  status: IncidentStatus;
  /** People are opaque chat user ids (e.g. Slack `U123`). */
  commanderId: string;
  declaredBy: string;
  /** Role name (lower case) → user id. The commander is not repeated here. */
  roles: Record<string, string>;
  impact?: string;
  rootCause?: string;
  resolutionSummary?: string;
  conclusion?: string;
  isPrivate: boolean;
  /** Epoch milliseconds. */
  declaredAt: number;
  resolvedAt?: number;
  closedAt?: number;
  chat?: ChatLink;
  /** The Confluence page the postmortem was exported to, once it was. */
  confluencePage?: ExportedPage;
  /** The one announcement card in the shared channel, once posted; later changes edit it. */
  announcement?: AnnouncementCard;
  /** The latest stakeholder update (`/incident update`), shown on the card. */
  latestUpdate?: LatestUpdate;
  /** When the next update is due, and whether reminders were stopped. */
  reminders?: ReminderState;
  /** Tracker tickets of action items, one per item. */
  tickets?: ActionTicket[];
  /** When the periodic ticket status sync is next due (its stored deadline), while one is. */
  ticketSyncDue?: number;
  /** Where to answer the declarer once the channel exists (Slack response_url), if any. */
  declarerReplyUrl?: string;
  /** Channel the declaring command was typed in, for an ephemeral fallback. */
  declaredFromChannelId?: string;
  /** When a field above last changed (timeline entries alone do not count). */
  updatedAt: number;
}

export interface AnnouncementCard {
  channelId: string;
  /** The card message's ts. */
  ts: string;
}

export interface LatestUpdate {
  at: number;
  by: string;
  /** What we know (Slack markup), the update's headline. */
  text: string;
}

/** A page the postmortem lives on outside Slack; later exports update it. */
export interface ExportedPage {
  pageId: string;
  title: string;
  url: string;
  version: number;
  exportedAt: number;
  /**
   * Block id → hash of what the bot last wrote in that marked block of the page. A block whose
   * content still hashes so is the bot's to refresh; one that does not was edited by hand and is kept.
   */
  blocks?: Record<string, string>;
}

/** Fields a use case may change after declaration. */
export type IncidentPatch = Partial<
  Pick<
    Incident,
    | 'title'
    | 'description'
    | 'severity'
    | 'status'
    | 'commanderId'
    | 'roles'
    | 'impact'
    | 'rootCause'
    | 'resolutionSummary'
    | 'conclusion'
    | 'resolvedAt'
    | 'closedAt'
    | 'chat'
    | 'confluencePage'
    | 'declarerReplyUrl'
    | 'announcement'
    | 'latestUpdate'
    | 'reminders'
    | 'tickets'
    | 'ticketSyncDue'
  >
>;

export type NewIncident = Omit<Incident, 'number' | 'updatedAt'>;

export function incidentKey(incident: Pick<Incident, 'number'>): string {
  return `INC-${incident.number}`;
}

export function isOpen(incident: Pick<Incident, 'status'>): boolean {
  return incident.status !== 'closed';
}

export function parseSeverity(word: string): Severity | undefined {
  const w = word.trim().toLowerCase();
  return (SEVERITIES as readonly string[]).includes(w) ? (w as Severity) : undefined;
}

export function parseSettableStatus(word: string): SettableStatus | undefined {
  const w = word.trim().toLowerCase();
  return (SETTABLE_STATUSES as readonly string[]).includes(w) ? (w as SettableStatus) : undefined;
}
