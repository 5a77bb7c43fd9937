// Socket Mode with "acknowledged ⇒ stored". Bolt's own Socket Mode receiver acknowledges an event
// envelope before the listeners run (there is no processBeforeResponse there), so a crash right
// after would lose it. This receiver holds an event's acknowledgement until the listeners have
// finished, and sends none when they fail: Slack then redelivers the envelope. Commands and
// actions are acknowledged by their listeners, which store first. Each envelope gets its request
// scope (request-scope.ts), named by its envelope_id, so our log lines about it carry that id.

import { createServer, type Server } from 'node:http';

import type { App, CustomRoute, Logger as BoltLogger, Receiver, ReceiverEvent } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';

import type { Logger } from './logger';
import { newRequestScope, scopedEvent } from './request-scope';
import { appRateLimitNotice, handledRequest, logAppRateLimited, unroutableEvent } from './slack-request';

interface SlackEventArgs {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  envelope_id?: string;
  type: string;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
}

export interface DurableSocketModeOptions {
  appToken: string;
  /** The Socket Mode client's (Bolt's logger interface). */
  logger: BoltLogger;
  /** Ours, for the lines this receiver writes about a request. */
  log: Logger;
  slackApiUrl?: string;
  /** Serves these (e.g. /healthz) over HTTP on `port`, since Socket Mode has no HTTP endpoint of its own. */
  customRoutes: CustomRoute[];
  port: number;
  /** Interface to listen on; all when unset. */
  host?: string;
  /** How long the client waits for a pong; it is also its reconnect delay. */
  clientPingTimeoutMs?: number;
}

/**
 * @slack/socket-mode 3.1 reads each frame's `type` (and an events_api frame's `payload.event.type`)
 * unguarded in an async listener: a frame that is JSON but no envelope (`null`, an events_api
 * envelope without an event) would be an unhandled rejection, which ends the process. Dropped here.
 */
class GuardedSocketModeClient extends SocketModeClient {
  constructor(
    options: ConstructorParameters<typeof SocketModeClient>[0],
    private readonly onBadFrame: (error: unknown) => void,
    private readonly onRateLimited: (notice: { teamId?: string; minuteRateLimited?: number }) => void,
  ) {
    super(options);
  }

  protected override async onWebSocketMessage(data: string | ArrayBuffer, isBinary: boolean): Promise<void> {
    // Slack's app_rate_limited notice has no inner event, which the client would choke on (above)
    // and so never acknowledge: answered here. A substring test keeps other frames to one parse.
    if (typeof data === 'string' && data.includes('app_rate_limited') && (await this.answeredRateLimit(data))) return;
    try {
      await super.onWebSocketMessage(data, isBinary);
    } catch (error) {
      this.onBadFrame(error);
    }
  }

  private async answeredRateLimit(frame: string): Promise<boolean> {
    let envelope: { envelope_id?: unknown; payload?: unknown } | null;
    try {
      envelope = JSON.parse(frame) as typeof envelope;
    } catch {
      return false;
    }
    const notice = appRateLimitNotice(envelope?.payload);
    if (!notice) return false;
    this.onRateLimited(notice);
    // `send` (what the client's own ack calls) is private in the typings, yet it is the only way to
    // acknowledge an envelope the client itself cannot route.
    const client = this as unknown as { send(envelopeId: string): Promise<void> };
    if (typeof envelope?.envelope_id === 'string') await client.send(envelope.envelope_id).catch(this.onBadFrame);
    return true;
  }
}

export class DurableSocketModeReceiver implements Receiver {
  readonly client: SocketModeClient;
  private app?: App;
  private server?: Server;

  constructor(private readonly options: DurableSocketModeOptions) {
    this.client = new GuardedSocketModeClient(
      {
        appToken: options.appToken,
        logger: options.logger,
        // Its own client options, with the client's default retries: a reconnect must survive a
        // failed apps.connections.open, unlike Web API calls whose retries the outbox owns.
        clientOptions: options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {},
        ...(options.clientPingTimeoutMs ? { clientPingTimeout: options.clientPingTimeoutMs } : {}),
      },
      // The error's message may quote the frame (JSON.parse does): only its name at warn.
      (error) => {
        options.logger.warn({ errorName: error instanceof Error ? error.name : typeof error }, 'Socket Mode frame dropped');
        options.logger.debug({ err: error }, 'Socket Mode frame dropped');
      },
      (notice) => logAppRateLimited(options.log.scoped(newRequestScope({})), notice),
    );
    this.client.on('slack_event', (args: SlackEventArgs) => void this.dispatch(args));
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<unknown> {
    await this.startRoutes();
    return this.client.start();
  }

  async stop(): Promise<void> {
    await this.client.disconnect();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  /** The port the custom routes listen on (useful with port 0). */
  routesPort(): number | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : undefined;
  }

  private async dispatch(args: SlackEventArgs): Promise<void> {
    const app = this.app;
    if (!app) return;
    const scope = newRequestScope({ requestId: args.envelope_id, retryNum: args.retry_num });
    const log = this.options.log.scoped(scope);
    const holdAck = args.type === 'events_api';
    let held: Record<string, unknown> | undefined;
    const event: ReceiverEvent = {
      body: args.body,
      ack: async (response?: unknown) => {
        if (holdAck) held = response as Record<string, unknown> | undefined;
        else await args.ack(response as Record<string, unknown> | undefined);
      },
      ...(args.retry_num !== undefined ? { retryNum: args.retry_num } : {}),
      ...(args.retry_reason !== undefined ? { retryReason: args.retry_reason } : {}),
    };
    try {
      if (unroutableEvent(args.body)) log.warn('malformed event dropped');
      else await handledRequest(this.options.logger, log, args.body, () => app.processEvent(scopedEvent(event, scope)));
      if (holdAck) await args.ack(held);
    } catch (error) {
      // Not acknowledged: Slack delivers the envelope again.
      log.warn({ err: error }, 'envelope not acknowledged');
    }
  }

  private async startRoutes(): Promise<void> {
    const routes = this.options.customRoutes;
    this.server = createServer((req, res) => {
      const route = routes.find((r) => r.path === (req.url ?? '').split('?')[0] && [r.method].flat().includes(req.method ?? ''));
      if (!route) {
        res.writeHead(404);
        res.end();
        return;
      }
      route.handler(Object.assign(req, { params: {} }), res);
    });
    await new Promise<void>((resolve) => this.server?.listen({ port: this.options.port, ...(this.options.host ? { host: this.options.host } : {}) }, resolve));
  }
}
