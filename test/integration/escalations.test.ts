// Escalations over real HTTP: pages by DM with an Acknowledge button, re-escalation on silence
// under a clock the test controls, restarts, and two bot processes sharing one database.

import { attachBot, type AttachedBot } from '../../src/sandbox/sandbox';
import type { EscalationSettings } from '../../src/usecases/context';
import { ackText, PEOPLE, startFixture, type Fixture } from '../support/sandbox-fixture';

const MINUTE = 60_000;
const ONCALL = { id: 'S0ONCALL', handle: 'platform-oncall' };
const LEADS = { id: 'S0LEADS', handle: 'platform-leads' };

const POLICIES: EscalationSettings = {
  policies: new Map([
    [
      'platform',
      {
        name: 'platform',
        levels: [
          { userIds: [PEOPLE.bob.id], usergroupIds: [], timeoutMs: 5 * MINUTE },
          { userIds: [], usergroupIds: [LEADS.id], timeoutMs: 10 * MINUTE },
        ],
      },
    ],
  ]),
  severityPolicies: { sev1: 'platform' },
};

const DAN = { id: 'U0DAN', name: 'dan', realName: 'Dan Lead' };
const EVE = { id: 'U0EVE', name: 'eve', realName: 'Eve Lead' };

async function startWithPolicies(): Promise<Fixture> {
  const f = await startFixture({ escalation: POLICIES });
  f.emulator.addUser(DAN);
  f.emulator.addUser(EVE);
  f.emulator.addUsergroup({ ...ONCALL, users: [PEOPLE.cid.id, DAN.id] });
  f.emulator.addUsergroup({ ...LEADS, users: [DAN.id, EVE.id] });
  return f;
}

function ackButton(f: Fixture, userId: string) {
  const dm = f.emulator.directMessages(userId).at(-1);
  if (!dm) throw new Error(`${userId} got no DM`);
  return dm;
}

async function pressAcknowledge(f: Fixture, userId: string) {
  const dm = ackButton(f, userId);
  const response = await f.actor.clickButton(userId, { channelId: dm.channel, messageTs: dm.ts, actionId: 'escalation_acknowledge' });
  await f.settle();
  return response;
}

describe('escalations', () => {
  let f: Fixture;

  beforeEach(async () => {
    f = await startWithPolicies();
  });

  afterEach(async () => {
    await f.stop();
  });

  it('when a person is paged, then they are invited and DMed with an Acknowledge button, and the channel hears it', async () => {
    const { channelId } = await f.declare('Checkout errors');
    const response = await f.actor.slashCommand(PEOPLE.ann.id, channelId, `escalate <@${PEOPLE.bob.id}|bob> payments look broken`);
    expect(ackText(response)).toContain(`is paging <@${PEOPLE.bob.id}>: payments look broken`);
    await f.settle();
    expect(f.emulator.channel(channelId)!.members).toContain(PEOPLE.bob.id);
    const dm = ackButton(f, PEOPLE.bob.id);
    expect(dm.text).toContain('You are paged for INC-1');
    expect(JSON.stringify(dm.blocks)).toContain('escalation_acknowledge');
    expect(JSON.stringify(dm.blocks)).toContain('payments look broken');
    expect(f.emulator.messages(channelId).some((m) => m.text.includes(`Paging <@${PEOPLE.bob.id}>`))).toBe(true);
  });

  it('when Acknowledge is pressed twice, then one acknowledgement is recorded, the DM says so and the header shows it', async () => {
    const { channelId } = await f.declare('Checkout errors');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, `escalate <@${PEOPLE.bob.id}|bob>`);
    await f.settle();
    f.clock.advance(3 * MINUTE);
    // A double click: both presses leave before the DM loses its button.
    const dm = ackButton(f, PEOPLE.bob.id);
    const press = () => f.actor.clickButton(PEOPLE.bob.id, { channelId: dm.channel, messageTs: dm.ts, actionId: 'escalation_acknowledge' });
    const presses = await Promise.all([press(), press()]);
    expect(presses.map((p) => p.status)).toEqual([200, 200]);
    await f.settle();

    const incident = (await f.store.findIncidentByChannel(channelId))!;
    const acks = (await f.store.listTimeline(incident.id)).filter((e) => e.kind === 'acknowledged');
    expect(acks).toHaveLength(1);
    expect(acks[0].actorId).toBe(PEOPLE.bob.id);
    const [escalation] = await f.store.listEscalations(incident.id);
    expect(escalation).toMatchObject({ state: 'acknowledged', acknowledgedBy: PEOPLE.bob.id });
    expect(ackButton(f, PEOPLE.bob.id).text).toContain(`acknowledged by <@${PEOPLE.bob.id}>`);
    expect(JSON.stringify(ackButton(f, PEOPLE.bob.id).blocks)).not.toContain('escalation_acknowledge');
    const header = f.emulator.messages(channelId).find((m) => m.ts === incident.chat!.headerTs)!;
    expect(JSON.stringify(header.blocks)).toContain('acknowledged by');
    expect(f.emulator.responses().some((r) => String(r.body.text).includes('already acknowledged'))).toBe(true);
  });

  it('when a user group is paged, then each member is DMed', async () => {
    const { channelId } = await f.declare('Checkout errors');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, `escalate <!subteam^${ONCALL.id}|@${ONCALL.handle}> db is on fire`);
    await f.settle();
    for (const id of [PEOPLE.cid.id, DAN.id]) expect(ackButton(f, id).text).toContain('You are paged');
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    const [escalation] = await f.store.listEscalations(incident.id);
    expect(escalation.pages[0].userIds).toEqual([PEOPLE.cid.id, DAN.id]);
  });

  it('when a policy level is not acknowledged in time, then the next level is paged; an ack then stops it', async () => {
    const { channelId } = await f.declare('Checkout errors');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'escalate platform checkout down');
    await f.settle();
    expect(ackButton(f, PEOPLE.bob.id)).toBeDefined();
    expect(await f.bot.escalations.tick()).toBe(0);

    f.clock.advance(5 * MINUTE + 1000);
    expect(await f.bot.escalations.tick()).toBe(1);
    await f.settle();
    for (const id of [DAN.id, EVE.id]) expect(JSON.stringify(ackButton(f, id).blocks)).toContain('(level 2 of 2)');
    expect(f.emulator.channel(channelId)!.members).toEqual(expect.arrayContaining([DAN.id, EVE.id]));

    f.clock.advance(2 * MINUTE);
    const ack = await f.actor.slashCommand(EVE.id, channelId, 'ack');
    expect(ackText(ack)).toContain('Stopped paging policy platform');
    await f.settle();
    f.clock.advance(30 * MINUTE);
    expect(await f.bot.escalations.tick()).toBe(0);

    const incident = (await f.store.findIncidentByChannel(channelId))!;
    const steps = (await f.store.listTimeline(incident.id)).filter((e) => e.kind === 'escalation').map((e) => `${e.data?.step}:${e.data?.level}`);
    expect(steps).toEqual(['paged:0', 'timed_out:0', 'paged:1']);
    const list = await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'escalations');
    expect(ackText(list)).toContain(`policy platform (checkout down): acknowledged by <@${EVE.id}>`);
  });

  it('when the last level times out, then the channel is told and paging stops instead of looping', async () => {
    const { channelId } = await f.declare('Checkout errors');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'escalate platform');
    await f.settle();
    f.clock.advance(6 * MINUTE);
    await f.bot.escalations.tick();
    await f.settle();
    f.clock.advance(11 * MINUTE);
    expect(await f.bot.escalations.tick()).toBe(1);
    await f.settle();
    f.clock.advance(60 * MINUTE);
    expect(await f.bot.escalations.tick()).toBe(0);
    expect(f.emulator.messages(channelId).filter((m) => m.text.includes('Nobody acknowledged the page to policy platform'))).toHaveLength(1);
    expect(ackButton(f, EVE.id).text).toContain('not acknowledged');
  });

  it('when a sev1 is declared, then its policy is paged automatically', async () => {
    const { channelId, response } = await f.declare('Everything is down sev1');
    expect(ackText(response)).toContain('Paging policy `platform` (automatic for sev1)');
    expect(ackButton(f, PEOPLE.bob.id).text).toContain('You are paged for INC-1');
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    expect((await f.store.listEscalations(incident.id))[0]).toMatchObject({ trigger: 'automatic', state: 'paging' });
  });

  it('when the incident is resolved, then pending pages are cancelled and their DMs say so', async () => {
    const { channelId } = await f.declare('Checkout errors');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'escalate platform');
    await f.settle();
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'resolve rolled back');
    await f.settle();
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    expect((await f.store.listEscalations(incident.id))[0].state).toBe('cancelled');
    expect(ackButton(f, PEOPLE.bob.id).text).toContain('cancelled');
    f.clock.advance(60 * MINUTE);
    expect(await f.bot.escalations.tick()).toBe(0);
  });

  it('when a paged person cannot be DMed, then the channel is told and the others are still paged', async () => {
    f.emulator.addUser({ id: 'U0GONE', name: 'gone', deleted: true });
    f.emulator.addUsergroup({ id: 'S0MIXED', handle: 'mixed', users: ['U0GONE', EVE.id] });
    const { channelId } = await f.declare('Checkout errors');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, '<!subteam^S0MIXED|@mixed>'.replace(/^/, 'escalate '));
    await f.settle();
    expect(ackButton(f, EVE.id).text).toContain('You are paged');
    expect(f.emulator.messages(channelId).some((m) => m.text.includes('I could not DM <@U0GONE>'))).toBe(true);
  });

  it('when the policy does not exist or the command is run outside an incident, then the answer says what is valid', async () => {
    const { channelId } = await f.declare('Checkout errors');
    const unknown = await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'escalate nosuchteam');
    expect(ackText(unknown)).toContain('There is no escalation policy "nosuchteam". Policies: `platform`.');
    const elsewhere = await f.actor.slashCommand(PEOPLE.ann.id, f.generalId, 'escalate platform');
    expect(ackText(elsewhere)).toContain('works inside an incident channel');
  });

  it('when the incident is closed, then the postmortem has an Escalations section with who acknowledged and how fast', async () => {
    const { channelId } = await f.declare('Checkout errors');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'escalate platform');
    await f.settle();
    f.clock.advance(4 * MINUTE);
    await pressAcknowledge(f, PEOPLE.bob.id);
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close');
    await f.settle();
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    const markdown = (await f.store.latestPostmortem(incident.id))!.markdown;
    expect(markdown).toContain('## Escalations');
    expect(markdown).toMatch(/Bob Example/);
    expect(markdown).toMatch(/Time to acknowledge: 4 minutes/);
  });
});

describe('escalation deadlines across restarts and replicas', () => {
  let f: Fixture;
  const extra: AttachedBot[] = [];

  beforeEach(async () => {
    f = await startWithPolicies();
  });

  afterEach(async () => {
    for (const bot of extra.splice(0)) await bot.detach();
    await f.stop();
  });

  it('when the bot is down past a deadline, then the next start fires it exactly once', async () => {
    const { channelId } = await f.declare('Checkout errors');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'escalate platform');
    await f.settle();
    const sqlitePath = f.config.sqlite.path;
    await f.bot.stop();
    f.clock.advance(7 * MINUTE);

    const restarted = await attachBot(f.emulator, f.clock, { sqlitePath, escalation: POLICIES, logSink: () => undefined });
    extra.push(restarted);
    await restarted.bot.escalations.tick();
    await restarted.settle();
    expect(await restarted.bot.escalations.tick()).toBe(0);
    const incident = (await restarted.store.findIncidentByChannel(channelId))!;
    const timedOut = (await restarted.store.listTimeline(incident.id)).filter((e) => e.data?.step === 'timed_out');
    expect(timedOut).toHaveLength(1);
    expect(f.emulator.directMessages(DAN.id)).toHaveLength(1);
  });

  it('when two bot processes share the store and poll at the same moment, then a deadline fires once', async () => {
    const { channelId } = await f.declare('Checkout errors');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'escalate platform');
    await f.settle();
    const second = await attachBot(f.emulator, f.clock, { sqlitePath: f.config.sqlite.path, escalation: POLICIES, logSink: () => undefined });
    extra.push(second);
    f.clock.advance(6 * MINUTE);
    const fired = await Promise.all([f.bot.escalations.tick(), second.bot.escalations.tick()]);
    expect(fired.reduce((a, b) => a + b, 0)).toBe(1);
    await Promise.all([f.settle(), second.settle()]);
    expect(f.emulator.directMessages(EVE.id)).toHaveLength(1);
  });

  it('when the same Slack event reaches both replicas, then one timeline entry results', async () => {
    const { channelId } = await f.declare('Checkout errors');
    const second = await attachBot(f.emulator, f.clock, { sqlitePath: f.config.sqlite.path, escalation: POLICIES, logSink: () => undefined });
    extra.push(second);
    const { ts } = await f.actor.say(PEOPLE.ann.id, channelId, 'failover did not trigger');
    const event = { type: 'reaction_added', user: PEOPLE.ann.id, reaction: 'pushpin', item: { type: 'message', channel: channelId, ts }, item_user: PEOPLE.ann.id, event_ts: ts };
    const [a, b] = await Promise.all([f.actor.deliverEvent(event, { eventId: 'Ev0BOTH' }), second.actor.deliverEvent(event, { eventId: 'Ev0BOTH' })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    expect((await f.store.listTimeline(incident.id)).filter((e) => e.kind === 'message')).toHaveLength(1);
  });
});
