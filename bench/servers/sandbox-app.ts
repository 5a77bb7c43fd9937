// The real bot, as `startSandbox` runs it (HTTP mode on a loopback port, emulated Slack Web API,
// embedded SQLite file with its default durability), in a process of its own so the load generator
// does not share its event loop. An incident is declared first; its channel receives the load.
// argv[2]: directory for the database file.

import { join } from 'node:path';

import Database from 'better-sqlite3';

import { startSandbox } from '../../src/sandbox/sandbox';
import { serve } from '../lib/child';
import type { WorkspaceInfo } from '../lib/protocol';
import { SqliteIncidentStore } from '../../src/store/sqlite/sqlite-store';

const PEOPLE = [
  { id: 'U0ANN', name: 'ann', realName: 'Ann Example' },
  { id: 'U0BOB', name: 'bob', realName: 'Bob Example' },
  { id: 'U0CID', name: 'cid', realName: 'Cid Example' },
];

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: sandbox-app <database directory>');
  const sqlitePath = join(dir, `sandbox-${process.pid}-${Date.now()}.db`);
  const logs: string[] = [];
  let logCount = 0;
  // Diagnostic only (never in `npm run bench`): how fast the same code runs when writes settle at
  // COMMIT, without waiting for the disk: the ceiling the off-thread sync could approach.
  const diagnostic = process.env.BENCH_DIAGNOSTIC_SYNCHRONOUS === 'NORMAL';
  if (diagnostic) process.stderr.write('sandbox-app: DIAGNOSTIC synchronous=NORMAL (not durable against power loss)\n');
  // Production's default level; lines are kept (a few) instead of written, so no terminal I/O is timed.
  const sandbox = await startSandbox({
    sqlitePath,
    ...(diagnostic ? { store: SqliteIncidentStore.open(sqlitePath, { synchronous: 'NORMAL' }) } : {}),
    logLevel: 'info',
    logSink: (line) => {
      logCount += 1;
      if (logs.length < 5) logs.push(line.trim());
    },
  });
  const { emulator, store, actor } = sandbox;
  for (const person of PEOPLE) emulator.addUser(person);
  const general = emulator.createChannel({ name: 'general', members: PEOPLE.map((p) => p.id) });
  const declared = await actor.slashCommand(PEOPLE[0].id, general.id, 'start Checkout latency (benchmark) sev2');
  await sandbox.settle();
  const [incident] = await store.listOpenIncidents(emulator.identity.teamId);
  if (!incident?.chat) throw new Error(`no incident channel after /incident start: ${declared.status} ${declared.body}`);
  const { channelId, channelName } = incident.chat;
  for (const person of PEOPLE.slice(1)) emulator.joinChannel(channelId, person.id);

  const reader = new Database(sqlitePath, { readonly: true, fileMustExist: true });
  const workspace: WorkspaceInfo = {
    teamId: emulator.identity.teamId,
    teamDomain: emulator.identity.teamDomain,
    apiAppId: emulator.identity.appId,
    botUserId: emulator.identity.botUserId,
    incidentId: incident.id,
    channelId,
    channelName,
    userIds: PEOPLE.map((p) => p.id),
    userNames: Object.fromEntries(PEOPLE.map((p) => [p.id, p.name])),
    responseUrl: emulator.issueResponseUrl({ channel: channelId, user: PEOPLE[0].id }).url,
    sqlitePath,
  };
  const port = Number(new URL(sandbox.appUrl).port);

  serve(
    { type: 'ready', port, workspace },
    {
      settle: async () => {
        await sandbox.settle();
        return null;
      },
      calls: () => emulator.calls.length,
      notes: async () => (await store.listTimeline(incident.id)).filter((e) => e.kind === 'note').map((e) => e.sourceId),
      'ingest-state': async () => ({
        transcriptTs: reader
          .prepare<[string], { ts: string }>('SELECT ts FROM transcript_messages WHERE channel_id = ?')
          .all(channelId)
          .map((r) => r.ts),
        messageSourceIds: (await store.listTimeline(incident.id)).filter((e) => e.kind === 'message').map((e) => e.sourceId),
        pendingEffects: (await store.outbox.pending(incident.id)).length,
      }),
      logs: () => ({ count: logCount, first: logs }),
    },
    async () => {
      reader.close();
      await sandbox.stop();
    },
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`sandbox-app: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
