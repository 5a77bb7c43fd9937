import type { Logger } from '../../ports/logger';
import type { Clock } from '../../ports/clock';
import type { ConfluenceConfig } from '../../config/confluence-config';
import type { ChatGateway } from '../../ports/chat-gateway';
import type { ChatMessages } from '../../ports/chat-messages';
import type { ConfluencePages } from '../../ports/confluence';
import type { IncidentStore } from '../../ports/incident-store';
import type { IssueTracker } from '../../ports/issue-tracker';
import type { TrackerConfig } from '../../config/tracker-config';
import type { IncidentSettings } from '../context';

export interface EffectContext {
  store: IncidentStore;
  chat: ChatGateway;
  /** How the messages it posts look on the chat platform. */
  messages: ChatMessages;
  clock: Clock;
  settings: IncidentSettings;
  logger: Logger;
  /** Export settings (or what is missing), and the adapter when export is set up. */
  confluence: { config: ConfluenceConfig; pages?: ConfluencePages };
  /** The team's tracker, when TRACKER is set. */
  tracker?: { config: Extract<TrackerConfig, { enabled: true }>; client: IssueTracker };
}

/** A permanent failure that is not the chat platform's (e.g. the channel was never created). */
export class EffectPreconditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EffectPreconditionError';
  }
}
