// The HTTP receiver: Bolt's, with processBeforeResponse (a 200 means "stored"), plus one rule
// Bolt lacks: it refuses timestamps more than five minutes OLD, but not ones in the FUTURE, which
// would let a captured request be replayed later. Both are refused here with 401. Every request
// runs in its own request context, so each log line written while handling it carries its id.

import type { IncomingMessage, ServerResponse } from 'node:http';

import { HTTPReceiver, type App, type CustomRoute, type Logger as BoltLogger, type ReceiverEvent } from '@slack/bolt';

import { identifyRequest, runInRequest } from './request-context';
import { logRequest, slackRequestId, unroutableEvent } from './slack-request';

const MAX_SKEW_SECONDS = 5 * 60;

/** True when the request claims a time further from now than Slack allows. */
export function timestampOutsideWindow(req: IncomingMessage, nowMs: number): boolean {
  const header = req.headers['x-slack-request-timestamp'];
  if (typeof header !== 'string') return false; // unsigned routes (/healthz); Bolt rejects unsigned Slack requests
  const seconds = Number(header);
  return !Number.isFinite(seconds) || Math.abs(nowMs / 1000 - seconds) > MAX_SKEW_SECONDS;
}

function retryNumOf(req: IncomingMessage): number | undefined {
  const header = req.headers['x-slack-retry-num'];
  return typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : undefined;
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
    runInRequest({ retryNum: retryNumOf(req) }, () => boltListener(req, res));
  };
  // The receiver parses the body itself and hands it to app.processEvent; it sees this view of
  // the app, which adopts Slack's event_id as the request id before any listener runs.
  const boltInit = receiver.init.bind(receiver);
  receiver.init = (app: App) => {
    const view = Object.create(app) as App;
    view.processEvent = async (event: ReceiverEvent) => {
      identifyRequest(slackRequestId(event.body));
      logRequest(options.logger, event.body);
      if (unroutableEvent(event.body)) {
        options.logger.warn('malformed event dropped');
        await event.ack();
        return;
      }
      return app.processEvent(event);
    };
    boltInit(view);
  };
  return receiver;
}
