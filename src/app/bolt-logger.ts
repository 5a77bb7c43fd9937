// Bolt's Logger interface on top of ours: the framework, the Web API client and the Socket Mode
// client log through the same JSON pipe, each line at the level they chose, filtered by ours.
// They log request and response bodies only at debug; the few warnings that quote a body Bolt
// could not parse are cut short here, with the whole text kept at debug.

import { LogLevel as BoltLogLevel, type Logger as BoltLogger } from '@slack/bolt';

import type { Logger, LogLevel } from './logger';

type LevelledLogger = Logger & { getLevel(): LogLevel };

/** Bolt warnings whose tail is a parser message, which quotes the start of the body (Node's JSON.parse does). */
const QUOTES_THE_BODY = [/^(Malformed request body):/, /^(Failed to parse the request body):/];

function withoutBody(words: unknown[]): { short: unknown[]; cut: boolean } {
  const [first, ...rest] = words;
  if (typeof first !== 'string') return { short: words, cut: false };
  for (const pattern of QUOTES_THE_BODY) {
    const match = pattern.exec(first);
    if (match) return { short: [match[1], ...rest], cut: true };
  }
  return { short: words, cut: false };
}

export function boltLogger(logger: LevelledLogger, component = 'bolt'): BoltLogger {
  const toBolt: Record<LogLevel, BoltLogLevel> = { debug: BoltLogLevel.DEBUG, info: BoltLogLevel.INFO, warn: BoltLogLevel.WARN, error: BoltLogLevel.ERROR };
  const child = logger.child({ component });
  const above =
    (at: 'info' | 'warn' | 'error') =>
    (...m: unknown[]) => {
      const { short, cut } = withoutBody(m);
      child[at](...short);
      if (cut) child.debug(...m);
    };
  return {
    debug: (...m) => child.debug(...m),
    info: above('info'),
    warn: above('warn'),
    error: above('error'),
    // LOG_LEVEL decides. Bolt's App, given a logger but no level, sets its default (INFO) on it,
    // which silenced debug lines from every logger derived from ours afterwards.
    setLevel: () => undefined,
    getLevel: () => toBolt[logger.getLevel()],
    setName: () => undefined,
  };
}
