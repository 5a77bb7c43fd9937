// The HTTP receiver: Bolt's, with processBeforeResponse (a 200 means "stored"), plus one rule
// Bolt lacks: it refuses timestamps more than five minutes OLD, but not ones in the FUTURE, which
// would let a captured request be replayed later. Both are refused here with 401. Every request
// Bolt processes gets its scope (request-scope.ts), so our lines about it carry its id.

import type { IncomingMessage, ServerResponse } from 'node:http';

import { HTTPReceiver, type App, type CustomRoute, type Logger as BoltLogger, type ReceiverEvent } from '@slack/bolt';

import type { Logger } from './logger';
import { newRequestScope, scopedEvent } from './request-scope';
import { handledRequest, slackRequestId, unroutableEvent } from './slack-request';

const MAX_SKEW_SECONDS = 5 * 60;

/** True when the request claims a time further from now than Slack allows. */
export function timestampOutsideWindow(req: IncomingMessage, nowMs: number): boolean {
  const header = req.headers['x-slack-request-timestamp'];
  if (typeof header !== 'string') return false; // unsigned routes (/healthz); Bolt rejects unsigned Slack requests
  const seconds = Number(header);
  return !Number.isFinite(seconds) || Math.abs(nowMs / 1000 - seconds) > MAX_SKEW_SECONDS;
}

/** `logger` is Bolt's (adapted); `log` ours, for the lines this receiver writes about a request. */
export function createHttpReceiver(options: { signingSecret: string; customRoutes: CustomRoute[]; logger: BoltLogger; log: Logger }): HTTPReceiver {
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
  // The receiver parses the body itself and hands it to app.processEvent; it sees this view of
  // the app, which gives each request its scope (Slack's event_id as its id, when there is one).
  const boltInit = receiver.init.bind(receiver);
  receiver.init = (app: App) => {
    const view = Object.create(app) as App;
    view.processEvent = async (event: ReceiverEvent) => {
      const scope = newRequestScope({ requestId: slackRequestId(event.body), retryNum: event.retryNum });
      const log = options.log.scoped(scope);
      if (unroutableEvent(event.body)) {
        log.warn('malformed event dropped');
        await event.ack();
        return;
      }
      await handledRequest(options.logger, log, event.body, () => app.processEvent(scopedEvent(event, scope)));
    };
    boltInit(view);
  };
  return receiver;
}
