import type { ChatGateway } from '../ports/chat-gateway';
import type { UseCaseDeps } from '../usecases/context';
import type { Logger } from './logger';

/** What listeners get: use-case dependencies, the chat gateway, and a way to wake the effect runner. */
export interface BotServices {
  deps: UseCaseDeps;
  chat: ChatGateway;
  logger: Logger;
  /** Stored effects are waiting: carry them out soon (after the acknowledgement is sent). */
  wakeEffects(): void;
}
