// Structured JSON logs, one line per event, with every configured secret redacted. Compatible with
// Bolt's Logger interface so the framework logs through the same pipe. A request's lines carry its
// ids through `scoped` (see request-scope.ts), background work's through `child({ job })`.

import { isAppError } from '../usecases/errors';
import type { Logger } from '../ports/logger';

export type { Logger };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  level: LogLevel;
  secrets?: string[];
  write?: (line: string) => void;
  fields?: Record<string, unknown>;
  /** Read at write time, after `fields`' own ids would be stale (see Logger.scoped). */
  scope?: Readonly<object>;
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 6) out = out.split(secret).join('[redacted]');
  // Anything shaped like a Slack token is redacted even if it is not ours.
  return out.replace(/xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+/g, '[redacted-token]');
}

function serialise(value: unknown): unknown {
  // An AppError's message is the answer shown to the user and may quote what they typed.
  if (isAppError(value)) return { name: value.name, code: value.code };
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack, ...(value.cause ? { cause: serialise(value.cause) } : {}) };
  return value;
}

/** What every logger made from one root shares: the level (setLevel changes it for all), the pipe. */
interface Sink {
  level: LogLevel;
  secrets: readonly string[];
  write: (line: string) => void;
}

// A class, so a child or a request's scoped logger is one small object (no closures per request).
class JsonLogger implements Logger {
  constructor(
    private readonly sink: Sink,
    private readonly base: Record<string, unknown>,
    private readonly scope?: Readonly<object>,
  ) {}

  debug(...m: unknown[]): void {
    this.log('debug', m);
  }
  info(...m: unknown[]): void {
    this.log('info', m);
  }
  warn(...m: unknown[]): void {
    this.log('warn', m);
  }
  error(...m: unknown[]): void {
    this.log('error', m);
  }
  child(fields: Record<string, unknown>): Logger {
    return new JsonLogger(this.sink, { ...this.base, ...fields }, this.scope);
  }
  scoped(scope: Readonly<object>): Logger {
    return new JsonLogger(this.sink, this.base, scope);
  }
  setLevel(level: LogLevel): void {
    this.sink.level = level;
  }
  getLevel(): LogLevel {
    return this.sink.level;
  }
  setName(name: string): void {
    this.base.logger = name;
  }

  private log(at: LogLevel, args: unknown[]): void {
    if (ORDER[at] < ORDER[this.sink.level]) return;
    const fields: Record<string, unknown> = {};
    const words: string[] = [];
    for (const arg of args) {
      if (arg instanceof Error) fields.err = serialise(arg);
      else if (arg && typeof arg === 'object') Object.assign(fields, arg);
      else words.push(String(arg));
    }
    // A line's own fields win over the scope's: an error names what it was about.
    const entry = { level: at, time: new Date().toISOString(), ...this.scope, ...this.base, ...fields, msg: words.join(' ') };
    this.sink.write(
      `${redact(
        JSON.stringify(entry, (_k, v: unknown) => serialise(v)),
        this.sink.secrets,
      )}\n`,
    );
  }
}

export function createLogger(options: LoggerOptions): Logger & { setLevel(level: LogLevel): void; getLevel(): LogLevel; setName(name: string): void } {
  const sink: Sink = { level: options.level, secrets: options.secrets ?? [], write: options.write ?? ((line: string) => process.stdout.write(line)) };
  return new JsonLogger(sink, { ...options.fields }, options.scope);
}
