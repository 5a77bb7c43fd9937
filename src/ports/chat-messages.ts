// The messages the effects post, as the chat platform shows them: the effects decide what happens
// and when (create, post once, update in place, retry); an adapter decides how each message looks
// (Slack: blocks/slack-messages.ts, Block Kit and mrkdwn).

import type { ConfluenceConfig } from '../config/confluence-config';
import type { Escalation } from '../domain/escalation';
import type { Incident } from '../domain/incident';
import type { Text } from '../domain/said';
import type { ChatMessage, ChatMetadata } from './chat-gateway';

/** How much the timeline holds, so the header visibly follows a busy incident. */
export interface TimelineSummary {
  entries: number;
  latestAt?: number;
}

export interface ChatMessages {
  header(incident: Incident, timeZone: string, escalations?: readonly Escalation[], timeline?: TimelineSummary): ChatMessage;
  /** The tag the pinned header carries, to find it again after a crash. */
  headerMetadata(incident: Pick<Incident, 'id'>): ChatMetadata;
  channelTopic(incident: Incident): string;
  channelPurpose(incident: Incident): string;
  announcementCard(incident: Incident, timeZone: string): ChatMessage;
  announcementMetadata(incident: Pick<Incident, 'id'>): ChatMetadata;
  /** The postmortem file's companion: where it went, and the Export button. */
  exportPrompt(incident: Incident, confluence: ConfluenceConfig): ChatMessage;
  /** The DM a paged person gets for one level of a page. */
  page(incident: Incident, escalation: Escalation, level: number): ChatMessage;
  /** What that DM becomes once the page has ended. */
  settledPage(incident: Incident, escalation: Escalation, timeZone: string): ChatMessage;
  updateReminder(incident: Incident, now: number, timeZone: string): ChatMessage;
  rolesNudge(incident: Incident, now: number): ChatMessage;
  severityNudge(incident: Incident, since: number, now: number): ChatMessage;
  /** What a use case or effect says (`Said`), in the platform's words. */
  text(text: Text): string;
}
