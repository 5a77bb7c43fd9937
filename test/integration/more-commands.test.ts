// The rest of the core loop's surface: health, help, announcements, private incidents, unpinning,
// on-demand postmortems and acknowledgements.

import { ackText, PEOPLE, startFixture, type Fixture } from '../support/sandbox-fixture';

describe('more of the core loop over HTTP', () => {
  let f: Fixture;

  beforeEach(async () => {
    f = await startFixture({ timeZone: 'Europe/Berlin' });
  });

  afterEach(async () => {
    await f.stop();
  });

  it('when /healthz is asked, then it reports the store as reachable', async () => {
    const response = await fetch(`${f.appUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', store: 'ok' });
  });

  it('when /incident help is asked, then the generated usage of every subcommand comes back privately', async () => {
    const response = await f.actor.slashCommand(PEOPLE.ann.id, f.generalId, 'help');
    expect(JSON.parse(response.body).response_type).toBe('ephemeral');
    for (const usage of ['/incident start <title>', '/incident note [13:15', '/incident close [conclusion]']) expect(ackText(response)).toContain(usage);
  });
});

describe('announcements and private incidents', () => {
  let f: Fixture;

  afterEach(async () => {
    await f.stop();
  });

  it('when an announcement channel is configured, then public incidents are announced there with a link, private ones are not', async () => {
    f = await startFixture({ announceChannelName: 'incidents' });
    const announcements = f.emulator.channelByName('incidents')!;

    const { channelId } = await f.declare('Login broken sev1');
    const announced = f.emulator.messages(announcements.id);
    expect(announced).toHaveLength(1);
    expect(announced[0].text).toContain(`INC-1 (sev1, investigating): Login broken — in <#${channelId}>`);

    await f.actor.slashCommand(PEOPLE.ann.id, f.generalId, 'start Payroll data exposure --private');
    await f.settle();
    expect(f.emulator.messages(announcements.id)).toHaveLength(1);
    const list = await f.actor.slashCommand(PEOPLE.bob.id, f.generalId, 'list');
    expect(ackText(list)).toContain('Login broken');
    expect(ackText(list)).not.toContain('Payroll');
  });
});

describe('highlights, acknowledgements and on-demand postmortems', () => {
  let f: Fixture;

  beforeEach(async () => {
    f = await startFixture();
  });

  afterEach(async () => {
    await f.stop();
  });

  it('when a pinned message is unpinned, then it leaves the timeline unless a :pushpin: keeps it', async () => {
    const { channelId } = await f.declare('Queue backlog');
    const { ts } = await f.actor.say(PEOPLE.ann.id, channelId, 'consumers are stuck on partition 7');
    await f.actor.pin(PEOPLE.ann.id, channelId, ts);
    await f.actor.react(PEOPLE.ann.id, channelId, ts, 'pushpin');
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    const messages = () => f.store.listTimeline(incident.id).then((t) => t.filter((e) => e.kind === 'message'));
    expect(await messages()).toHaveLength(1);
    await f.actor.unpin(PEOPLE.ann.id, channelId, ts);
    expect(await messages()).toHaveLength(1);
    await f.actor.unreact(PEOPLE.ann.id, channelId, ts, 'pushpin');
    expect(await messages()).toHaveLength(0);
  });

  it('when someone acknowledges twice, then one acknowledgement is recorded and the second answer says when', async () => {
    const { channelId } = await f.declare('Queue backlog');
    f.emulator.joinChannel(channelId, PEOPLE.bob.id);
    expect(ackText(await f.actor.slashCommand(PEOPLE.bob.id, channelId, 'ack'))).toContain('acknowledged and is on it');
    expect(ackText(await f.actor.slashCommand(PEOPLE.bob.id, channelId, 'ack'))).toContain('You acknowledged INC-1 at');
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    expect((await f.store.listTimeline(incident.id)).filter((e) => e.kind === 'acknowledged')).toHaveLength(1);
  });

  it('when /incident postmortem is run twice, then two versions are stored and posted, each from the current state', async () => {
    const { channelId } = await f.declare('Queue backlog');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'postmortem');
    await f.settle();
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'impact 3,000 orders delayed by 20 minutes');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'postmortem');
    await f.settle();
    const names = f.emulator.files().map((x) => x.name);
    expect(names).toEqual(['INC-1-postmortem-v1.md', 'INC-1-postmortem-v2.md']);
    const [v1, v2] = f.emulator.files();
    expect(v1.content).toContain('_To be completed: describe the customer impact');
    expect(v2.content).toContain('3,000 orders delayed by 20 minutes');
  });

  it('when a user echoes a broadcast mention in a note, then the bot does not turn it into a real @channel ping', async () => {
    const { channelId } = await f.declare('Queue backlog');
    const response = await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'note <!channel> everyone look');
    expect(ackText(response)).not.toContain('<!channel>');
    expect(ackText(response)).toContain('everyone look');
  });
});
