import { plainText, type Text } from '../domain/said';

// One error type the user can see. Listeners map it to a friendly ephemeral reply; anything else
// is unexpected and gets an error id that the user sees and the log records.

export type ErrorCode = 'usage' | 'not_in_incident_channel' | 'incident_closed' | 'not_found' | 'invalid_input' | 'storage_unavailable' | 'forbidden';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** Shown to the user (in the chat's words): say what happened and what to do. */
    readonly userMessage: Text,
    options?: { cause?: unknown },
  ) {
    super(plainText(userMessage), options);
    this.name = 'AppError';
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Short id shown to the user and written to the log, to find one failure among many. */
export function newErrorId(): string {
  return Math.random().toString(36).slice(2, 10);
}
