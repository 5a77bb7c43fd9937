// The one place that turns a failure into what the user reads. Known errors carry their own
// message; anything else gets an id the user can quote and the log records with the stack.

import { isAppError, newErrorId } from './errors';
import type { Logger } from './logger';

export function errorReply(error: unknown, logger: Logger, context: Record<string, unknown>): string {
  if (isAppError(error)) {
    logger.info({ ...context, code: error.code }, 'request refused');
    return error.userMessage;
  }
  const errorId = newErrorId();
  logger.error({ ...context, errorId, err: error }, 'request failed');
  return `:x: Something went wrong and your request was not saved (error id \`${errorId}\`). Please try again; if it keeps failing, give the error id to whoever runs the bot.`;
}
