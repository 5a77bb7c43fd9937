// The HTTP receiver: Bolt's, with processBeforeResponse (a 200 means "stored"). Slack requests
// are read and their signature checked here, before Bolt (slack-signature.ts): one HMAC instead of
// Bolt's three, timestamps refused in both directions (Bolt refuses only old ones, which would
// let a captured request be replayed later), and a body size limit (Bolt buffers any size). Bolt
// then finds the body already read and its own check is off. Every request Bolt processes gets
// its scope (request-scope.ts), so our lines about it carry its id.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseForm } from 'node:querystring';

import { HTTPReceiver, type App, type CustomRoute, type Logger as BoltLogger, type ReceiverEvent } from '@slack/bolt';

import type { Logger } from './logger';
import { newRequestScope, scopedEvent } from './request-scope';
import { appRateLimitNotice, handledRequest, logAppRateLimited, slackRequestId, unroutableEvent } from './slack-request';
import { verifySlackSignature } from './slack-signature';

/** Where Slack sends events, commands and interactions (Bolt's default endpoint). */
const SLACK_PATH = '/slack/events';
/** Far above any Slack payload (a message is at most 40k characters), far below trouble. */
export const MAX_BODY_BYTES = 1024 * 1024;

type BufferedRequest = IncomingMessage & { rawBody?: Buffer };

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume(); // drain the rest unread, so the 413 can be written
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    req.once('error', reject);
    // A client that goes away mid-body ends neither way; after 'end' this is a no-op.
    req.once('close', () => reject(new Error('request closed before its body was read')));
  });
}

/**
 * Slack checks that the endpoint speaks TLS with an unsigned `ssl_check=1` form; Bolt answers it
 * without verification, keeping nothing else of the body (a smuggled payload must not run).
 */
function sslCheck(req: IncomingMessage, body: Buffer): Buffer | undefined {
  if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return undefined;
  return parseForm(body.toString()).ssl_check === '1' ? Buffer.from('ssl_check=1') : undefined;
}

/** A refused request never reaches Bolt, so its line gets a request id of its own here. */
function refusedLog(log: Logger): Logger {
  return log.scoped(newRequestScope({}));
}

function refuse(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

/** `logger` is Bolt's (adapted); `log` ours, for the lines this receiver writes about a request. */
export function createHttpReceiver(options: { signingSecret: string; customRoutes: CustomRoute[]; logger: BoltLogger; log: Logger }): HTTPReceiver {
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    processBeforeResponse: true,
    // Checked in the request listener below, before Bolt reads anything.
    signatureVerification: false,
    customRoutes: options.customRoutes,
    logger: options.logger,
  });
  // Bolt's server calls this.requestListener for every request, so a guard placed there sees
  // every request before Bolt's own routing and listeners. Other routes (/healthz) are Bolt's.
  const boltListener = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || req.url?.split('?')[0] !== SLACK_PATH) return boltListener(req, res);
    readBody(req, MAX_BODY_BYTES).then(
      (body) => {
        const buffered = req as BufferedRequest;
        const verdict = verifySlackSignature(options.signingSecret, req.headers, body, Date.now());
        if (verdict === 'ok') {
          buffered.rawBody = body;
        } else {
          const check = sslCheck(req, body);
          if (!check) {
            // A wrong SLACK_SIGNING_SECRET shows up here, on every request.
            refusedLog(options.log).warn({ reason: verdict }, 'request refused: Slack signature check failed');
            return refuse(res, 401);
          }
          buffered.rawBody = check;
        }
        boltListener(buffered, res);
      },
      (error: unknown) => {
        if (error instanceof BodyTooLarge) refusedLog(options.log).warn({ limitBytes: MAX_BODY_BYTES }, 'request refused: body too large');
        refuse(res, error instanceof BodyTooLarge ? 413 : 400);
      },
    );
  };
  // The receiver parses the body itself and hands it to app.processEvent; it sees this view of
  // the app, which gives each request its scope (Slack's event_id as its id, when there is one).
  const boltInit = receiver.init.bind(receiver);
  receiver.init = (app: App) => {
    const view = Object.create(app) as App;
    view.processEvent = async (event: ReceiverEvent) => {
      const scope = newRequestScope({ requestId: slackRequestId(event.body), retryNum: event.retryNum });
      const log = options.log.scoped(scope);
      const rateLimited = appRateLimitNotice(event.body);
      if (rateLimited) {
        logAppRateLimited(log, rateLimited);
        await event.ack();
        return;
      }
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
