// Builds the Bolt app from its dependencies. Nothing here reads the environment: index.ts and the
// tests decide what to pass, which is what lets tests run the real app on port 0.

import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';

import { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';

import type { AppConfig } from '../config/config';
import { boltLogger } from './bolt-logger';
import { SlackHttpReceiver } from './http-receiver';
import { effectWake } from './effect-wake';
import { requestStore } from './request-store';
import { scopeOf } from './request-scope';
import { slackAuthorization } from './slack-authorization';
import { DurableSocketModeReceiver } from './socket-mode-receiver';
import { SlackGateway } from '../integrations/slack/slack-gateway';
import { slackMessages } from '../blocks/slack-messages';
import { registerListeners } from '../listeners';
import type { Clock } from '../ports/clock';
import type { ChatGateway } from '../ports/chat-gateway';
import type { ConfluencePages } from '../ports/confluence';
import { createConfluencePages } from '../integrations/confluence';
import { createIssueTracker } from '../integrations/tracker';
import type { IssueTracker } from '../ports/issue-tracker';
import type { Storage } from '../ports/incident-store';
import { systemScheduler, type Scheduler } from '../ports/scheduler';
import { NO_ESCALATION_POLICIES, type EscalationSettings, type UseCaseDeps } from '../usecases/context';
import { EscalationScheduler } from '../usecases/escalation-scheduler';
import { OPEN_ACCESS, responderAccess } from '../usecases/access';
import { allowOnlyTeams } from './team-allowlist';
import { EffectRunner } from '../usecases/effects/effect-runner';
import type { Logger, LogLevel } from './logger';
import type { BotServices } from './services';

export interface BotOptions {
  config: AppConfig;
  store: Storage;
  clock: Clock;
  /** The effect runner's and escalation poller's timers; real ones by default (tests steer them). */
  scheduler?: Scheduler;
  logger: Logger & { setLevel(level: LogLevel): void; getLevel(): LogLevel; setName(name: string): void };
  /** Tests pass a fetch that reaches the emulator for response URLs; defaults to global fetch. */
  fetch?: typeof fetch;
  /** Escalation policies (from ESCALATION_POLICIES_FILE); none by default. */
  escalation?: EscalationSettings;
  /** Socket Mode: the client's pong timeout, which is also its reconnect delay (tests shorten it). */
  socketPingTimeoutMs?: number;
  /** Tests inject an adapter with fast retries; by default it is built from config. */
  confluencePages?: ConfluencePages;
  /** A tracker adapter to use instead of the one built from `tracker` (tests: no real waits). */
  issueTracker?: IssueTracker;
}

export interface Bot {
  app: App;
  effects: EffectRunner;
  escalations: EscalationScheduler;
  services: BotServices;
  /** HTTP mode: the port actually bound (useful with port 0). */
  start(): Promise<{ port?: number }>;
  stop(): Promise<void>;
}

export function buildBot(options: BotOptions): Bot {
  const { config, store, clock, logger } = options;
  const scheduler = options.scheduler ?? systemScheduler;
  let server: Server | undefined;
  let socketReceiver: DurableSocketModeReceiver | undefined;
  let stopped = false;
  const healthz = {
    path: '/healthz',
    method: ['GET'],
    handler: (_req: unknown, res: import('node:http').ServerResponse) => {
      // Answered when the ping settles; it never rejects (caught into "degraded").
      void store
        .ping()
        .catch(() => false)
        .then((ok) => {
          res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ status: ok ? 'ok' : 'degraded', store: ok ? 'ok' : 'unreachable' }));
        });
    },
  };
  const client = new WebClient(config.slack.botToken, {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    // The effect runner is the one place that retries, with backoff that honours Retry-After.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: boltLogger(logger),
  });
  const authorization = slackAuthorization(client, logger);
  const app = new App({
    authorize: authorization.authorize,
    // Bolt's conversation store (per-conversation state for listeners) is unused here, and its
    // middleware ran on every request: about 5% of the ack path's CPU in the benchmark profile.
    convoStore: false,
    // The error handler gets the request's context, so 'listener failed' carries its ids.
    extendedErrorHandler: true,
    logger: boltLogger(logger),
    // No clientOptions: every Web API call goes through `client` above (the gateway's). Bolt keeps a
    // tokenless client of its own that nothing here calls, and builds none with the token, since
    // authorize returns none (see slack-authorization.ts).
    ...(config.slack.socketMode
      ? {
          receiver: (socketReceiver = new DurableSocketModeReceiver({
            appToken: config.slack.appToken ?? '',
            // Its own component: the client's transport chatter (envelopes read, pings) belongs to no request.
            logger: boltLogger(logger, 'socket-mode'),
            log: logger,
            ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
            customRoutes: [healthz],
            port: config.port,
            ...(config.host ? { host: config.host } : {}),
            ...(options.socketPingTimeoutMs ? { clientPingTimeoutMs: options.socketPingTimeoutMs } : {}),
          })),
        }
      : { receiver: new SlackHttpReceiver({ signingSecret: config.slack.signingSecret ?? '', customRoutes: [healthz], logger: boltLogger(logger), log: logger }) }),
  });

  const chat: ChatGateway = new SlackGateway(client, options.fetch);
  const trackerClient = config.tracker.enabled ? (options.issueTracker ?? createIssueTracker(config.tracker)) : undefined;
  const tracker = config.tracker.enabled && trackerClient ? { config: config.tracker, client: trackerClient } : undefined;
  const deps: UseCaseDeps = {
    store,
    clock,
    settings: {
      timeZone: config.timeZone,
      channelPrefix: config.channelPrefix,
      announceChannelId: config.announceChannelId,
      escalation: options.escalation ?? NO_ESCALATION_POLICIES,
      reminders: config.reminders,
      ...(config.archiveAfterMs !== undefined ? { archiveAfterMs: config.archiveAfterMs } : {}),
      confluence: config.confluence.enabled ? { enabled: true, autoExport: config.confluence.autoExport } : { enabled: false, missing: config.confluence.missing },
      tracker: tracker ? { enabled: true, name: tracker.client.name, autoCreate: tracker.config.autoCreate } : { enabled: false },
    },
    newId: randomUUID,
    access:
      config.control.mode === 'responders'
        ? responderAccess({ groupIds: config.control.groupIds, members: (id) => chat.usergroupMembers(id), now: () => clock.now() })
        : OPEN_ACCESS,
  };
  const confluence = {
    config: config.confluence,
    ...(config.confluence.enabled ? { pages: options.confluencePages ?? createConfluencePages(config.confluence.settings) } : {}),
  };
  // Background work logs as a job: an incident's queue runs on for the next requests' effects too.
  const effectsLog = logger.child({ component: 'effects', job: 'effects' });
  const effects = new EffectRunner(
    { store, chat, messages: slackMessages, clock, settings: deps.settings, logger: effectsLog, confluence, ...(tracker ? { tracker } : {}) },
    store.outbox,
    {
      leaseMs: config.effectLeaseMs,
      retryBudgetMs: config.effectRetryBudgetMs,
      scheduler,
    },
  );
  const wake = effectWake(
    (id) => effects.kick(id),
    () => store.outbox.dueIncidents(clock.now()),
    (error) => effectsLog.warn({ err: error }, 'could not look up pending effects'),
  );
  const services: BotServices = {
    deps,
    chat,
    logger,
    forRequest: (context) => {
      const scope = scopeOf(context);
      const queued = new Set<string>();
      return {
        log: logger.scoped(scope),
        deps: { ...deps, store: requestStore(store, scope, (id) => queued.add(id)) },
        wakeEffects: () => wake.incidents(queued),
      };
    },
    wakeEffects: () => wake.due(),
  };
  const escalations = new EscalationScheduler(deps, scheduler, logger.child({ component: 'escalations', job: 'escalations' }), services.wakeEffects);
  if (config.allowedTeamIds.length > 0) app.use(allowOnlyTeams(config.allowedTeamIds, logger));
  registerListeners(app, services);
  const startBackground = () => {
    effects.start();
    escalations.start();
  };
  // Bolt's extended error handler (see extendedErrorHandler above); its args type is not exported.
  const onError = async ({ error, context }: { error: Error; context: Record<string, unknown> }): Promise<void> => {
    logger.scoped(scopeOf(context)).error({ err: error }, 'listener failed');
    // Rethrown so the receiver answers with an error (HTTP 500, or no Socket Mode ack) and Slack
    // delivers the event again: swallowing it here would acknowledge work that was not stored.
    throw error;
  };
  app.error(onError);

  return {
    app,
    effects,
    escalations,
    services,
    async start() {
      await authorization.warmUp();
      if (socketReceiver) {
        await app.start();
        startBackground();
        return { port: socketReceiver.routesPort() };
      }
      server = (await app.start(config.host ? { port: config.port, host: config.host } : config.port)) as Server;
      startBackground();
      const address = server.address();
      return { port: typeof address === 'object' && address ? address.port : config.port };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.stop();
      await escalations.stop();
      await effects.stop();
    },
  };
}
