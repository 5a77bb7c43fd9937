// The bot on MongoDB (through mongoose and real sockets, against the test-only wire server):
// two replicas on one database (one ticket for a button pressed on both), and a database that goes away mid-incident and comes back.

import { CREATE_TICKET_ACTION } from '../../src/blocks/ids';
import type { TrackerConfig } from '../../src/config/tracker-config';
import { JiraTracker } from '../../src/integrations/tracker/jira';
import { attachBot, type AttachedBot } from '../../src/sandbox/sandbox';
import { JiraEmulator } from '../../src/sandbox/tracker-emulator';
import { MongoIncidentStore } from '../../src/store/mongo';
import type { EscalationSettings } from '../../src/usecases/context';
import { startMongoWireServer } from '../support/mongo-wire';
import { ackText, PEOPLE, startFixture, type Fixture } from '../support/sandbox-fixture';

const MINUTE = 60_000;
const POLICY: EscalationSettings = {
  policies: new Map([
    [
      'oncall',
      {
        name: 'oncall',
        levels: [
          { userIds: [PEOPLE.bob.id], usergroupIds: [], timeoutMs: 5 * MINUTE },
          { userIds: [PEOPLE.cid.id], usergroupIds: [], timeoutMs: 5 * MINUTE },
        ],
      },
    ],
  ]),
  severityPolicies: {},
};

async function mongoStore(uri: string): Promise<MongoIncidentStore> {
  return MongoIncidentStore.connect(uri, { attempts: 3, retryDelayMs: 100, serverSelectionTimeoutMS: 800 });
}

describe('two bot replicas on one MongoDB', () => {
  let server: Awaited<ReturnType<typeof startMongoWireServer>>;
  let f: Fixture;
  let second: AttachedBot;

  beforeEach(async () => {
    server = await startMongoWireServer();
    f = await startFixture({ store: await mongoStore(server.uri), escalation: POLICY });
    second = await attachBot(f.emulator, f.clock, { sqlitePath: 'unused', store: await mongoStore(server.uri), escalation: POLICY, logSink: () => undefined });
  });

  afterEach(async () => {
    await second.detach();
    await f.stop();
    await server.stop();
  });

  it('when the same Slack event reaches both replicas, then one timeline entry results', async () => {
    const { channelId } = await f.declare('Checkout errors');
    const { ts } = await f.actor.say(PEOPLE.ann.id, channelId, 'failover did not trigger');
    const event = { type: 'reaction_added', user: PEOPLE.ann.id, reaction: 'pushpin', item: { type: 'message', channel: channelId, ts }, item_user: PEOPLE.ann.id, event_ts: ts };
    const [a, b] = await Promise.all([f.actor.deliverEvent(event, { eventId: 'Ev0TWICE' }), second.actor.deliverEvent(event, { eventId: 'Ev0TWICE' })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    expect((await second.store.listTimeline(incident.id)).filter((e) => e.kind === 'message')).toHaveLength(1);
  });

  it('when both replicas poll an escalation deadline at the same moment, then it fires once and the next level gets one DM', async () => {
    const { channelId } = await f.declare('Checkout errors');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'escalate oncall');
    await f.settle();
    f.clock.advance(6 * MINUTE);
    const fired = await Promise.all([f.bot.escalations.tick(), second.bot.escalations.tick()]);
    expect(fired[0] + fired[1]).toBe(1);
    await Promise.all([f.settle(), second.settle()]);
    expect(f.emulator.directMessages(PEOPLE.cid.id)).toHaveLength(1);
  });

  it('when incidents are declared on both replicas at once, then their numbers are distinct', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? second : f).actor.slashCommand(PEOPLE.ann.id, f.generalId, `start Parallel ${i}`)));
    const numbers = answers.map((a) => /INC-(\d+)/.exec(ackText(a))?.[1]);
    expect(new Set(numbers).size).toBe(6);
  });
});

describe('two bot replicas on one MongoDB, filing tickets', () => {
  it('when the Create ticket button is pressed on both replicas at once, then one Jira ticket is filed and stored', async () => {
    const server = await startMongoWireServer();
    const jira = await JiraEmulator.start({ deployment: 'cloud', cloud: { email: 'bot@acme.example', apiToken: 'jira-replica-token' } });
    const settings = { deployment: 'cloud' as const, baseUrl: jira.baseUrl, projectKey: 'OPS', issueType: 'Task', email: 'bot@acme.example', apiToken: 'jira-replica-token' };
    const tracker: TrackerConfig = { enabled: true, kind: 'jira', jira: settings, labels: ['incident-follow-up'], assignees: new Map(), autoCreate: false };
    const replica = async () => ({ store: await mongoStore(server.uri), tracker, issueTracker: new JiraTracker(settings, { sleep: async () => undefined }) });
    const f = await startFixture(await replica());
    const second = await attachBot(f.emulator, f.clock, { sqlitePath: 'unused', ...(await replica()), logSink: () => undefined });
    try {
      const { channelId } = await f.declare('Checkout errors');
      const added = await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'action Rotate the keys');
      const click = { channelId, messageTs: added.messageTs!, actionId: CREATE_TICKET_ACTION };

      await Promise.all([f.actor.clickButton(PEOPLE.ann.id, click), second.actor.clickButton(PEOPLE.bob.id, click)]);
      await Promise.all([f.settle(), second.settle()]);
      await Promise.all([f.settle(), second.settle()]);

      expect(jira.issues().map((i) => i.key)).toEqual(['OPS-1']);
      expect((await second.store.findIncidentByChannel(channelId))?.tickets?.map((t) => t.key)).toEqual(['OPS-1']);
      expect(f.emulator.messages(channelId).filter((m) => m.text.startsWith(':ticket: Filed in Jira'))).toHaveLength(1);
    } finally {
      await second.detach();
      await f.stop();
      await jira.stop();
      await server.stop();
    }
  });
});

describe('MongoDB unreachable mid-incident', () => {
  it('when the database goes away, then a note is refused with "not saved" (never a fake success), and it works again when the database returns', async () => {
    const server = await startMongoWireServer();
    const f = await startFixture({ store: await mongoStore(server.uri) });
    try {
      const { channelId } = await f.declare('Checkout errors');
      server.setUnavailable(true);
      const refused = await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'note db is down too');
      expect(refused.status).toBe(200);
      expect(ackText(refused)).toContain('Storage is unavailable right now, so this was *not saved*');
      const health = await fetch(`${f.appUrl}/healthz`);
      expect(health.status).toBe(503);
      // An event that cannot be stored is not acknowledged as success: Slack will deliver it again.
      const event = await f.actor.deliverEvent({
        type: 'reaction_added',
        user: PEOPLE.ann.id,
        reaction: 'pushpin',
        item: { type: 'message', channel: channelId, ts: '1.000001' },
        event_ts: '1.000001',
      });
      expect(event.status).toBeGreaterThanOrEqual(500);
      // Logged once, by Bolt's error handler, with the delivery's id.
      const failures = f.logs.filter((line) => line.includes(event.eventId) && /"level":"?(error|50)/.test(line));
      expect(failures.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['listener failed']);

      server.setUnavailable(false);
      let answer = '';
      for (let i = 0; i < 20 && !answer.includes('noted at'); i++) {
        answer = ackText(await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'note db is back'));
        if (!answer.includes('noted at')) await new Promise((r) => setTimeout(r, 250));
      }
      expect(answer).toContain('noted at');
      const incident = (await f.store.findIncidentByChannel(channelId))!;
      expect((await f.store.listTimeline(incident.id)).map((e) => e.text)).toEqual(expect.arrayContaining(['db is back']));
      expect((await f.store.listTimeline(incident.id)).map((e) => e.text)).not.toContain('db is down too');
      expect((await fetch(`${f.appUrl}/healthz`)).status).toBe(200);
    } finally {
      await f.stop();
      await server.stop();
    }
  }, 30_000);
});
