// Structured JSON logs, one line per event, with every configured secret redacted. Compatible with
// Bolt's Logger interface so the framework logs through the same pipe. Each line carries the ids
// of the request (or background job) it was written for, read from the request context.

import { isAppError } from './errors';
import { logContext } from './request-context';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(...msg: unknown[]): void;
  info(...msg: unknown[]): void;
  warn(...msg: unknown[]): void;
  error(...msg: unknown[]): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level: LogLevel;
  secrets?: string[];
  write?: (line: string) => void;
  fields?: Record<string, unknown>;
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
    // Explicit fields win over the context: an effect names its own incident.
    const entry = { level: at, time: new Date().toISOString(), ...logContext(), ...base, ...fields, msg: words.join(' ') };
    write(`${redact(JSON.stringify(entry, (_k, v: unknown) => serialise(v)), secrets)}\n`);
  }

  return {
    debug: (...m) => log('debug', m),
    info: (...m) => log('info', m),
    warn: (...m) => log('warn', m),
    error: (...m) => log('error', m),
    child: (fields) => createLogger({ ...options, level, fields: { ...base, ...fields } }),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: (name: string) => {
      base.logger = name;
    },
  };
}
