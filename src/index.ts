// Wiring only: configuration, store, the bot, and a clean shutdown.

import { existsSync } from 'node:fs';

import { buildBot } from './app/build-bot';
import { createLogger, redact, type Logger } from './app/logger';
import { ConfigError, loadConfig, secretsOf } from './config/config';
import { emptyEscalationConfig, loadEscalationPolicies } from './config/escalation-policies';
import { systemClock } from './ports/clock';
import type { Storage } from './ports/incident-store';
import { SqliteIncidentStore } from './store/sqlite/sqlite-store';

/** Loaded only when configured: mongoose alone took a third of the bot's startup time. */
async function openMongo(uri: string, logger: Logger): Promise<Storage> {
  const { MongoIncidentStore } = await import('./store/mongo');
  return MongoIncidentStore.connect(uri, { logger: logger.child({ component: 'store' }) });
}

async function main(): Promise<void> {
  // A local .env is a convenience for running by hand; variables already set win over it.
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example and the README's configuration table.\n`);
      process.exit(1);
    }
    throw error;
  }
  let escalation;
  try {
    escalation = config.escalationPoliciesFile ? loadEscalationPolicies(config.escalationPoliciesFile) : emptyEscalationConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
  const store: Storage = config.mongodbUri ? await openMongo(config.mongodbUri, logger) : SqliteIncidentStore.open(config.sqlite.path, { synchronous: config.sqlite.synchronous });
  logger.info(config.mongodbUri ? { store: 'mongodb' } : { store: 'sqlite', path: config.sqlite.path }, 'store open');
  const bot = buildBot({ config, store, clock: systemClock, logger, escalation });
  const { port } = await bot.start();
  logger.info({ mode: config.slack.socketMode ? 'socket' : 'http', port, timeZone: config.timeZone, policies: escalation.policies.size }, 'incident bot ready');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    try {
      await bot.stop();
      await store.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${redact(error.cause.message, [])})` : '';
  process.stderr.write(`Failed to start: ${error instanceof Error ? redact(error.message, []) : String(error)}${cause}\n`);
  process.exit(1);
});
