import { createHmac } from 'node:crypto';

/** Slack's request signature (v0): `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`. */
export function signSlackRequest(signingSecret: string, timestampSeconds: number, rawBody: string): string {
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${rawBody}`);
  return `v0=${hmac.digest('hex')}`;
}

/**
 * The headers Slack puts on every request to an app. The timestamp is the real wall clock, not the
 * emulator's: Bolt rejects requests more than five minutes away from its own Date.now().
 */
export function slackRequestHeaders(signingSecret: string, rawBody: string, contentType: string): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    'Content-Type': contentType,
    'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': signSlackRequest(signingSecret, timestamp, rawBody),
  };
}
