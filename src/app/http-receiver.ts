// The HTTP receiver, on Bolt's public Receiver interface and its HTTP helpers: Slack's answer waits
// until the listeners are done (a 200 means "stored", as Bolt's processBeforeResponse). Requests
// are read and their signature checked here (slack-signature.ts): one HMAC instead of Bolt's three,
// timestamps refused in both directions (Bolt refuses only old ones, which would let a captured
// request be replayed later), and a body size limit. Every request the app processes gets its
// scope (request-scope.ts), so our lines about it carry its id.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parse as parseForm } from 'node:querystring';

import {
  HTTPModuleFunctions as http,
  HTTPResponseAck,
  type App,
  type BufferedIncomingMessage,
  type CustomRoute,
  type Logger as BoltLogger,
  type Receiver,
  type ReceiverEvent,
} from '@slack/bolt';

import type { Logger } from './logger';
import { newRequestScope, scopedEvent } from './request-scope';
import { appRateLimitNotice, handledRequest, logAppRateLimited, slackRequestId, unroutableEvent } from './slack-request';
import { verifySlackSignature } from './slack-signature';

/** Where Slack sends events, commands and interactions (Bolt's default endpoint). */
const SLACK_PATH = '/slack/events';
/** Far above any Slack payload (a message is at most 40k characters), far below trouble. */
export const MAX_BODY_BYTES = 1024 * 1024;

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
 * Slack checks that the endpoint speaks TLS with an unsigned `ssl_check=1` form: answered without
 * verification, and nothing else of the body runs (a smuggled payload must not).
 */
function isSslCheck(req: IncomingMessage, body: Buffer): boolean {
  return req.headers['content-type'] === 'application/x-www-form-urlencoded' && parseForm(body.toString()).ssl_check === '1';
}

/** A refused request never reaches Bolt, so its line gets a request id of its own here. */
function refusedLog(log: Logger): Logger {
  return log.scoped(newRequestScope({}));
}

function refuse(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

export interface HttpReceiverOptions {
  signingSecret: string;
  customRoutes: CustomRoute[];
  /** Bolt's (adapted), for Bolt's own helpers. */
  logger: BoltLogger;
  /** Ours, for the lines this receiver writes about a request. */
  log: Logger;
}

/** Slack requests at SLACK_PATH; the custom routes (/healthz); 404 for anything else. */
export class SlackHttpReceiver implements Receiver {
  private app?: App;
  private server?: Server;

  constructor(private readonly options: HttpReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  /** As Bolt's HTTPReceiver: `app.start(port)` or `app.start({ port, host })`; resolves with the listening server. */
  async start(...args: unknown[]): Promise<Server> {
    const [first] = args;
    const { port, host } = typeof first === 'object' && first !== null ? (first as { port: number; host?: string }) : { port: Number(first ?? 3000), host: undefined };
    const server = createServer((req, res) => this.route(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, ...(host ? { host } : {}) }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Slack (and the tests) keep connections alive; close would otherwise wait for them to time out.
      server.closeAllConnections();
    });
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'POST' && path === SLACK_PATH) {
      void this.slackRequest(req, res);
      return;
    }
    const route = this.options.customRoutes.find((r) => r.path === path && [r.method].flat().includes(req.method ?? ''));
    if (route) route.handler(Object.assign(req, { params: {} }), res);
    else http.buildNoBodyResponse(res, 404);
  }

  private async slackRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { signingSecret, logger, log: baseLog } = this.options;
    let raw: Buffer;
    try {
      raw = await readBody(req, MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLarge) refusedLog(baseLog).warn({ limitBytes: MAX_BODY_BYTES }, 'request refused: body too large');
      return refuse(res, error instanceof BodyTooLarge ? 413 : 400);
    }
    const verdict = verifySlackSignature(signingSecret, req.headers, raw, Date.now());
    if (verdict !== 'ok') {
      if (isSslCheck(req, raw)) return http.buildSSLCheckResponse(res);
      // A wrong SLACK_SIGNING_SECRET shows up here, on every request.
      refusedLog(baseLog).warn({ reason: verdict }, 'request refused: Slack signature check failed');
      return refuse(res, 401);
    }
    const buffered = Object.assign(req, { rawBody: raw }) as BufferedIncomingMessage;
    // Bolt's helpers type request bodies as `any`: they are JSON or form data of any shape.
    let body: Record<string, unknown>;
    try {
      body = http.parseHTTPRequestBody(buffered) as Record<string, unknown>;
    } catch (error) {
      // The parser's message quotes the body, which may hold what people typed: debug only.
      const refusedBy = refusedLog(baseLog);
      refusedBy.warn('request refused: malformed body');
      refusedBy.debug({ err: error }, 'malformed body, as the parser saw it');
      return refuse(res, 400);
    }
    if (body.ssl_check === '1') return http.buildSSLCheckResponse(res);
    if (body.type === 'url_verification') return http.buildUrlVerificationResponse(res, body);
    const retryNum = http.extractRetryNumFromHTTPRequest(req);
    const retryReason = http.extractRetryReasonFromHTTPRequest(req);
    const scope = newRequestScope({ requestId: slackRequestId(body), retryNum });
    const log = baseLog.scoped(scope);
    const rateLimited = appRateLimitNotice(body);
    if (rateLimited) {
      logAppRateLimited(log, rateLimited);
      return http.buildNoBodyResponse(res, 200);
    }
    if (unroutableEvent(body)) {
      log.warn('malformed event dropped');
      return http.buildNoBodyResponse(res, 200);
    }
    const app = this.app;
    if (!app) return refuse(res, 503);
    const ack = new HTTPResponseAck({ logger, processBeforeResponse: true, httpRequest: buffered, httpRequestBody: body, httpResponse: res });
    const event: ReceiverEvent = { body, ack: ack.bind(), ...(retryNum !== undefined ? { retryNum } : {}), ...(retryReason !== undefined ? { retryReason } : {}) };
    try {
      await handledRequest(logger, log, body, () => app.processEvent(scopedEvent(event, scope)));
      if (ack.storedResponse !== undefined) http.buildContentResponse(res, ack.storedResponse);
    } catch (error) {
      // Bolt's own answer to a failed request (500, or 401 for an authorization failure).
      if (await http.defaultProcessEventErrorHandler({ error: error as Error, logger, request: req, response: res, storedResponse: ack.storedResponse })) ack.ack();
    }
  }
}
