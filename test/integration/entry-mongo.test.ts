// The production entry point on MongoDB: `node <build>/index.js` with MONGODB_URI set (the
// wire-protocol test server) loads the MongoDB adapter, which it loads only then, and an incident
// declared over signed HTTP is stored there.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SANDBOX_BOT_TOKEN } from '../../src/sandbox/sandbox';
import { SlackEmulator } from '../../src/sandbox/slack-emulator';
import { MongoIncidentStore } from '../../src/store/mongo';
import { buildEntry, SupervisedBot } from '../support/child-bot';
import { startMongoWireServer, type MongoWireServer } from '../support/mongo-wire';
import { PEOPLE } from '../support/sandbox-fixture';

describe('the production entry point with MONGODB_URI', () => {
  let server: MongoWireServer;
  let emulator: SlackEmulator;
  let dir: string;
  let bot: SupervisedBot | undefined;

  beforeAll(async () => {
    server = await startMongoWireServer();
    emulator = await SlackEmulator.start({ botToken: SANDBOX_BOT_TOKEN, teamId: 'T0MONGO' });
    for (const person of Object.values(PEOPLE)) emulator.addUser(person);
    dir = mkdtempSync(join(tmpdir(), 'entry-mongo-'));
  });

  afterAll(async () => {
    await bot?.stop();
    await emulator.stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when the bot starts, then it says it uses MongoDB, and a declared incident is stored there (not in SQLite)', async () => {
    const entry = await buildEntry();
    const url = new URL(server.uri);
    url.pathname = '/entry_test';
    const uri = url.toString();
    bot = await SupervisedBot.start({ entry, emulator, sqlitePath: join(dir, 'unused.db'), cwd: dir, timeZone: 'UTC', env: { MONGODB_URI: uri } });
    expect(bot.logs.some((line) => line.includes('"store":"mongodb"') && line.includes('store open'))).toBe(true);
    const general = emulator.createChannel({ name: 'general', members: Object.values(PEOPLE).map((p) => p.id) });
    const answer = await (await bot.ready()).actor.slashCommand(PEOPLE.ann.id, general.id, 'start Checkout is down on Mongo');
    expect(answer.status).toBe(200);
    // The command is stored before it is answered: no waiting needed.
    const store = await MongoIncidentStore.connect(uri);
    try {
      expect(await store.listOpenIncidents('T0MONGO')).toEqual([expect.objectContaining({ title: 'Checkout is down on Mongo', commanderId: PEOPLE.ann.id })]);
    } finally {
      await store.close();
    }
    expect(existsSync(join(dir, 'unused.db'))).toBe(false);
  }, 120_000);
});
