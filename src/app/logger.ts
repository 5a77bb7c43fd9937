// Structured JSON logs, one line per event, with every configured secret redacted. Compatible with
// Bolt's Logger interface so the framework logs through the same pipe. A request's lines carry its
// ids through `scoped` (see request-scope.ts), background work's through `child({ job })`.

import { isAppError } from './errors';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(...msg: unknown[]): void;
  info(...msg: unknown[]): void;
  warn(...msg: unknown[]): void;
  error(...msg: unknown[]): void;
  child(fields: Record<string, unknown>): Logger;
  /** A child whose lines carry `scope`'s fields as they are when each line is written (ids found later included). */
  scoped(scope: Readonly<object>): Logger;
}

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

export function createLogger(options: LoggerOptions): Logger & { setLevel(level: LogLevel): void; getLevel(): LogLevel; setName(name: string): void } {
  let level = options.level;
  const secrets = options.secrets ?? [];
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const base = options.fields ?? {};

  function log(at: LogLevel, args: unknown[]): void {
    if (ORDER[at] < ORDER[level]) return;
    const fields: Record<string, unknown> = {};
    const words: string[] = [];
    for (const arg of args) {
      if (arg instanceof Error) fields.err = serialise(arg);
      else if (arg && typeof arg === 'object') Object.assign(fields, arg);
      else words.push(String(arg));
    }
    // A line's own fields win over the scope's: an error names what it was about.
    const entry = { level: at, time: new Date().toISOString(), ...options.scope, ...base, ...fields, msg: words.join(' ') };
    write(`${redact(JSON.stringify(entry, (_k, v: unknown) => serialise(v)), secrets)}\n`);
  }

  return {
    debug: (...m) => log('debug', m),
    info: (...m) => log('info', m),
    warn: (...m) => log('warn', m),
    error: (...m) => log('error', m),
    child: (fields) => createLogger({ ...options, level, fields: { ...base, ...fields } }),
    scoped: (scope) => createLogger({ ...options, level, fields: base, scope }),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: (name: string) => {
      base.logger = name;
    },
  };
}
