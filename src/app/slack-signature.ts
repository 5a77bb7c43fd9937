// Slack's request signature (v0), checked before Bolt sees a request. Bolt's own check does the
// same HMAC but compares through tsscmp (two more HMACs and a random key per request) and parses a
// form body once more just for `ssl_check`; on the ack path that was a tenth of a request's CPU.
// Written apart from the sandbox's signer on purpose: the tests sign with that one, so a mistake
// here cannot cancel itself out.

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Slack refuses to let a request be replayed after five minutes; so do we, in both directions. */
export const MAX_SKEW_SECONDS = 5 * 60;

export type SignatureVerdict = 'ok' | 'missing' | 'stale' | 'mismatch';

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** True when a request's timestamp (seconds, as sent) is further from now than Slack allows, or no number. */
export function timestampOutsideWindow(timestamp: string, nowMs: number): boolean {
  const seconds = Number(timestamp);
  return !Number.isFinite(seconds) || Math.abs(nowMs / 1000 - seconds) > MAX_SKEW_SECONDS;
}

export function verifySlackSignature(signingSecret: string, headers: IncomingHttpHeaders, rawBody: Buffer, nowMs: number): SignatureVerdict {
  const timestamp = header(headers, 'x-slack-request-timestamp');
  const signature = header(headers, 'x-slack-signature');
  if (timestamp === undefined || signature === undefined) return 'missing';
  if (timestampOutsideWindow(timestamp, nowMs)) return 'stale';
  const expected = Buffer.from(`v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'mismatch';
}
