// What the use cases and adapters log through; app/logger.ts writes it as JSON lines with secrets redacted.

export interface Logger {
  debug(...msg: unknown[]): void;
  info(...msg: unknown[]): void;
  warn(...msg: unknown[]): void;
  error(...msg: unknown[]): void;
  child(fields: Record<string, unknown>): Logger;
  /** A child whose lines carry `scope`'s fields as they are when each line is written (ids found later included). */
  scoped(scope: Readonly<object>): Logger;
}
