// What every use case receives: its dependencies, and who is asking from where.

import type { EscalationPolicy } from '../domain/escalation';
import type { Severity } from '../domain/incident';
import type { ReminderSettings } from '../domain/reminders';
import type { Clock } from '../ports/clock';
import type { AccessPolicy } from './access';
import type { IncidentStore } from '../ports/incident-store';
import type { Text } from '../domain/said';

/** Escalation policies by name, and the policy each severity pages on declaration. */
export interface EscalationSettings {
  policies: ReadonlyMap<string, EscalationPolicy>;
  severityPolicies: Partial<Record<Severity, string>>;
}

export const NO_ESCALATION_POLICIES: EscalationSettings = { policies: new Map(), severityPolicies: {} };

export interface IncidentSettings {
  timeZone: string;
  channelPrefix: string;
  announceChannelId?: string;
  escalation: EscalationSettings;
  /** Update cadence per severity and the nudges (INCIDENT_UPDATE_EVERY, INCIDENT_NUDGE_*). */
  reminders: ReminderSettings;
  /** INCIDENT_ARCHIVE_AFTER: the channel is archived this long after close; never when unset. */
  archiveAfterMs?: number;
  /** Whether Confluence export is set up (and what is missing if not); whether close exports. */
  confluence: { enabled: true; autoExport: boolean } | { enabled: false; missing: string[] };
  /** Whether follow-up tickets are set up (TRACKER), and in which tracker. */
  tracker: { enabled: true; name: string; autoCreate: boolean } | { enabled: false };
}

export interface UseCaseDeps {
  store: IncidentStore;
  clock: Clock;
  settings: IncidentSettings;
  newId(): string;
  /** Who may close, resolve, change severity and escalate. */
  access: AccessPolicy;
}

/** Who asked, from where, and the identity of the request (for idempotency). */
export interface Invocation {
  teamId: string;
  userId: string;
  channelId: string;
  /** Unique per delivery of the user's intent (e.g. `cmd:<trigger_id>`); retries reuse it. */
  sourceId: string;
  responseUrl?: string;
}

/** What the user who asked sees, as data: the listener writes it in Slack's words. `inChannel` shows it to the whole channel. */
export interface Reply {
  text: Text;
  inChannel?: boolean;
  /** The reply offers to file this action item (its source id) in the tracker: a button under it. */
  offerTicket?: { actionSourceId: string; trackerName: string };
  /** The reply is a timeline listing: entries the asker may fix carry a reference for Edit / Remove buttons. */
  timeline?: { head: Text; entries: { line: Text; ref?: string }[] };
}
