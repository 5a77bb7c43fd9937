// The HTTP receiver: Bolt's, with processBeforeResponse (a 200 means "stored"), plus one rule
// Bolt lacks: it refuses timestamps more than five minutes OLD, but not ones in the FUTURE, which
// would let a captured request be replayed later. Both are refused here with 401.

import type { IncomingMessage, ServerResponse } from 'node:http';

import { HTTPReceiver, type CustomRoute, type Logger as BoltLogger } from '@slack/bolt';

const MAX_SKEW_SECONDS = 5 * 60;

/** True when the request claims a time further from now than Slack allows. */
export function timestampOutsideWindow(req: IncomingMessage, nowMs: number): boolean {
  const header = req.headers['x-slack-request-timestamp'];
  if (typeof header !== 'string') return false; // unsigned routes (/healthz); Bolt rejects unsigned Slack requests
  const seconds = Number(header);
  return !Number.isFinite(seconds) || Math.abs(nowMs / 1000 - seconds) > MAX_SKEW_SECONDS;
}

export function createHttpReceiver(options: { signingSecret: string; customRoutes: CustomRoute[]; logger: BoltLogger }): HTTPReceiver {
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    processBeforeResponse: true,
    customRoutes: options.customRoutes,
    logger: options.logger,
  });
  // Bolt's server calls this.requestListener for every request, so a guard placed there sees
  // every request before Bolt's own verification and listeners.
  const boltListener = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    if (timestampOutsideWindow(req, Date.now())) {
      res.writeHead(401);
      res.end();
      return;
    }
    boltListener(req, res);
  };
  return receiver;
}
