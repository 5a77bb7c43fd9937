import type { ChatGateway } from '../ports/chat-gateway';
import type { UseCaseDeps } from '../usecases/context';
import type { Logger } from './logger';

/** One request's view: a logger that carries its ids, and use-case dependencies that file it under its incident. */
export interface RequestServices {
  deps: UseCaseDeps;
  log: Logger;
  /** Wakes the queues of the incidents this request's writes queued effects for. */
  wakeEffects(): void;
}

/** What listeners get: use-case dependencies, the chat gateway, and a way to wake the effect runner. */
export interface BotServices {
  deps: UseCaseDeps;
  chat: ChatGateway;
  logger: Logger;
  /** For a listener or middleware: its request's logger and dependencies, from Bolt's `context`. */
  forRequest(context: Record<string, unknown>): RequestServices;
  /**
   * Stored effects are waiting: carry them out soon (after the acknowledgement is sent). On a
   * request's services (withRequest), just those its writes queued; otherwise any that are due.
   */
  wakeEffects(): void;
}

/** The services as one request should use them: its logger, and dependencies filed under its incident. */
export function withRequest(services: BotServices, context: Record<string, unknown>): BotServices {
  const { deps, log, wakeEffects } = services.forRequest(context);
  return { ...services, deps, logger: log, wakeEffects };
}
