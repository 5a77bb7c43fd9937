// The one place that turns a failure into what the user reads. Known errors carry their own
// message; anything else gets an id the user can quote and the log records with the stack.

import { slackText } from '../blocks/said';
import { StorageUnavailableError } from '../ports/incident-store';
import { isAppError, newErrorId } from '../usecases/errors';
import type { Logger } from './logger';

export function errorReply(error: unknown, logger: Logger, context: Record<string, unknown>): string {
  if (isAppError(error)) {
    logger.info({ ...context, code: error.code }, 'request refused');
    return slackText(error.userMessage);
  }
  if (error instanceof StorageUnavailableError) {
    logger.warn({ ...context, err: error }, 'storage unavailable');
    return ':warning: Storage is unavailable right now, so this was *not saved*. Please retry in a moment; nothing else is lost.';
  }
  const errorId = newErrorId();
  logger.error({ ...context, errorId, err: error }, 'request failed');
  return `:x: Something went wrong and your request was not saved (error id \`${errorId}\`). Please try again; if it keeps failing, give the error id to whoever runs the bot.`;
}
