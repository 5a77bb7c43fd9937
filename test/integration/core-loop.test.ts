// The core loop over real HTTP: signed Slack requests into the real Bolt app, the real embedded
// store, and the emulated Slack Web API.

import { ackText, PEOPLE, startFixture, type Fixture } from '../support/sandbox-fixture';

const NAIROBI_1PM = Date.UTC(2023, 2, 3, 10, 0); // 2023-03-03 13:00 EAT

describe('the core loop over HTTP', () => {
  let f: Fixture;

  beforeEach(async () => {
    f = await startFixture({ timeZone: 'Africa/Nairobi' });
    f.clock.jumpTo(NAIROBI_1PM);
  });

  afterEach(async () => {
    await f.stop();
  });

  it('when someone declares an incident, then a channel is created, set up, headed, pinned and linked back', async () => {
    const { channelId, response } = await f.declare('Checkout is slow sev2');
    expect(response.status).toBe(200);
    expect(ackText(response)).toContain('Declared *INC-1* (sev2)');

    const channel = f.emulator.channel(channelId)!;
    expect(channel.name).toBe('inc-20230303-checkout-is-slow');
    expect(channel.members).toContain(PEOPLE.ann.id);
    expect(channel.topic.value).toContain('INC-1: Checkout is slow');

    const header = f.emulator.messages(channelId)[0];
    expect(header.text).toContain('INC-1: Checkout is slow — sev2, investigating');
    expect(JSON.stringify(header.blocks)).toContain('1:00 PM (EAT)');
    expect(f.emulator.pinnedTs(channelId)).toEqual([header.ts]);

    const reply = f.emulator.responses().find((r) => String(r.body.text).includes(`<#${channelId}>`));
    expect(reply).toBeDefined();

    const incident = (await f.store.findIncidentByChannel(channelId))!;
    const timeline = await f.store.listTimeline(incident.id);
    expect(timeline.map((e) => e.kind)).toEqual(['declared']);
    expect(incident.commanderId).toBe(PEOPLE.ann.id);
  });

  it('when the channel name is taken, then the bot appends -2 and does not fail', async () => {
    f.emulator.createChannel({ name: 'inc-20230303-checkout-is-slow' });
    const { channelId } = await f.declare('Checkout is slow');
    expect(f.emulator.channel(channelId)!.name).toBe('inc-20230303-checkout-is-slow-2');
  });

  it('when a note starts with a time, then it is backdated in the team zone and shown to the channel', async () => {
    const { channelId } = await f.declare('Checkout is slow');
    f.clock.jumpTo(NAIROBI_1PM + 20 * 60_000);
    const response = await f.actor.slashCommand(PEOPLE.bob.id, channelId, 'note 13:15 assumed a DDoS');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ response_type: 'in_channel' });
    expect(ackText(response)).toContain('noted at 1:15 PM (EAT) (backdated): assumed a DDoS');

    const incident = (await f.store.findIncidentByChannel(channelId))!;
    const note = (await f.store.listTimeline(incident.id)).find((e) => e.kind === 'note')!;
    expect(note.at).toBe(NAIROBI_1PM + 15 * 60_000);
    expect(note.actorId).toBe(PEOPLE.bob.id);
    expect(note.text).toBe('assumed a DDoS');
  });

  it('when a command that needs an incident is run elsewhere, then the user is told where to run it', async () => {
    const response = await f.actor.slashCommand(PEOPLE.ann.id, f.generalId, 'note hello');
    expect(ackText(response)).toContain('works inside an incident channel');
    expect(JSON.parse(response.body).response_type).toBe('ephemeral');
  });

  it('when arguments are wrong, then the usage line of that subcommand comes back and nothing is stored', async () => {
    const { channelId } = await f.declare('Checkout is slow');
    const response = await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'severity sev9');
    expect(ackText(response)).toContain('Usage: `/incident severity sev1|sev2|sev3|sev4`');
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    expect((await f.store.listTimeline(incident.id)).length).toBe(1);
  });

  it('when status, severity, lead and roles change, then each is on the timeline and the header shows the final state', async () => {
    const { channelId } = await f.declare('Checkout is slow sev3');
    for (const text of ['status identified bad deploy', 'severity sev1', `lead <@${PEOPLE.bob.id}|bob>`, `role comms <@${PEOPLE.cid.id}|cid>`]) {
      const response = await f.actor.slashCommand(PEOPLE.ann.id, channelId, text);
      expect(response.status).toBe(200);
    }
    await f.settle();
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    expect(incident).toMatchObject({ status: 'identified', severity: 'sev1', commanderId: PEOPLE.bob.id, roles: { comms: PEOPLE.cid.id } });
    const kinds = (await f.store.listTimeline(incident.id)).map((e) => e.kind);
    expect(kinds).toEqual(['declared', 'status', 'severity', 'lead', 'role']);

    const header = f.emulator.messages(channelId).find((m) => m.ts === incident.chat!.headerTs)!;
    expect(header.text).toContain('sev1, identified');
    const blocks = JSON.stringify(header.blocks);
    expect(blocks).toContain(`<@${PEOPLE.bob.id}>`);
    expect(blocks).toContain('comms');
    expect(f.emulator.channel(channelId)!.members).toEqual(expect.arrayContaining([PEOPLE.bob.id, PEOPLE.cid.id]));
  });

  it('when a message gets :pushpin:, then it joins the timeline with its own time and author; edits follow; removal takes it off', async () => {
    const { channelId } = await f.declare('Checkout is slow');
    f.emulator.joinChannel(channelId, PEOPLE.bob.id);
    f.clock.jumpTo(NAIROBI_1PM + 7 * 60_000);
    const { ts } = await f.actor.say(PEOPLE.bob.id, channelId, 'p99 latency is 8s on checkout');
    f.clock.jumpTo(NAIROBI_1PM + 30 * 60_000);
    expect((await f.actor.react(PEOPLE.ann.id, channelId, ts, 'pushpin')).status).toBe(200);

    const incident = (await f.store.findIncidentByChannel(channelId))!;
    const entry = async () => (await f.store.listTimeline(incident.id)).find((e) => e.kind === 'message');
    const pinned = await entry();
    expect(pinned).toMatchObject({ actorId: PEOPLE.bob.id, text: 'p99 latency is 8s on checkout' });
    // The message's own time (its ts), not the time of the reaction 23 minutes later.
    expect(Math.abs(pinned!.at - (NAIROBI_1PM + 7 * 60_000))).toBeLessThan(1000);

    await f.actor.edit(PEOPLE.bob.id, channelId, ts, 'p99 latency is 9s on checkout');
    expect((await entry())?.text).toBe('p99 latency is 9s on checkout');

    await f.actor.unreact(PEOPLE.ann.id, channelId, ts, 'pushpin');
    expect(await entry()).toBeUndefined();
  });

  it('when a thread reply is pinned, then it joins the timeline; deleting it removes the entry', async () => {
    const { channelId } = await f.declare('Checkout is slow');
    f.emulator.joinChannel(channelId, PEOPLE.cid.id);
    const parent = await f.actor.say(PEOPLE.ann.id, channelId, 'what do we know?');
    const reply = await f.actor.say(PEOPLE.cid.id, channelId, 'failover did not switch', { threadTs: parent.ts });
    expect((await f.actor.pin(PEOPLE.ann.id, channelId, reply.ts)).status).toBe(200);
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    const entries = () => f.store.listTimeline(incident.id).then((t) => t.filter((e) => e.kind === 'message'));
    expect(await entries()).toEqual([expect.objectContaining({ actorId: PEOPLE.cid.id, text: 'failover did not switch', data: expect.objectContaining({ threadTs: parent.ts }) })]);

    await f.actor.remove(channelId, reply.ts);
    expect(await entries()).toEqual([]);
  });

  it('when the same event is delivered twice (a Slack retry), then it is stored once', async () => {
    const { channelId } = await f.declare('Checkout is slow');
    f.emulator.joinChannel(channelId, PEOPLE.bob.id);
    const { ts } = await f.actor.say(PEOPLE.bob.id, channelId, 'db failover started');
    const event = { type: 'reaction_added', user: PEOPLE.ann.id, reaction: 'pushpin', item: { type: 'message', channel: channelId, ts }, item_user: PEOPLE.bob.id, event_ts: ts };
    const first = await f.actor.deliverEvent(event, { eventId: 'Ev0DUPLICATE' });
    const retry = await f.actor.deliverEvent(event, { eventId: 'Ev0DUPLICATE', retryNum: 1, retryReason: 'http_timeout' });
    expect([first.status, retry.status]).toEqual([200, 200]);
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    expect((await f.store.listTimeline(incident.id)).filter((e) => e.kind === 'message')).toHaveLength(1);
  });

  it('when the incident is resolved and closed, then a postmortem is compiled, stored and posted as a Markdown file', async () => {
    const { channelId } = await f.declare('Checkout is slow sev2');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'impact 40% of EU checkouts failed');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'cause a bad config push disabled the connection pool');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, `action add a canary for config pushes <@${PEOPLE.bob.id}|bob>`);
    f.clock.jumpTo(NAIROBI_1PM + 90 * 60_000);
    expect(ackText(await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'resolve rolled back the config'))).toContain('after 1 hour 30 minutes');
    const closed = await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close Thanks all');
    expect(ackText(closed)).toContain('closed INC-1');
    await f.settle();

    const incident = (await f.store.findIncidentByChannel(channelId))!;
    expect(incident.status).toBe('closed');
    const stored = await f.store.latestPostmortem(incident.id);
    expect(stored?.version).toBe(1);
    const file = f.emulator.files().find((x) => x.name === 'INC-1-postmortem-v1.md')!;
    expect(file.content).toBe(stored!.markdown);
    for (const fact of [
      '## Issue Summary',
      '1:00 PM – 2:30 PM (EAT)',
      '1 hour 30 minutes',
      '40% of EU checkouts failed',
      'a bad config push',
      'add a canary for config pushes',
      '| @Bob Example | — | open |',
      '## Key Metrics',
      'Thanks all',
    ]) {
      expect(file.content).toContain(fact);
    }
    const share = f.emulator.messages(channelId).find((m) => m.files?.includes(file.id));
    expect(share?.text).toContain('Postmortem draft v1 for *INC-1*');

    const refused = await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'severity sev1');
    expect(ackText(refused)).toContain('INC-1 is closed, so `/incident severity` cannot change it');
    const lateNote = await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'note found during the review: alerts were muted');
    expect(ackText(lateNote)).toContain('found during the review');
  });

  it('when /incident timeline and /incident list are asked, then they answer only the asker, with what was recorded', async () => {
    const { channelId } = await f.declare('Checkout is slow');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'note rolled back');
    const timeline = await f.actor.slashCommand(PEOPLE.bob.id, channelId, 'timeline');
    expect(JSON.parse(timeline.body).response_type).toBe('ephemeral');
    expect(ackText(timeline)).toMatch(/Declared .*Checkout is slow[\s\S]*Note .*rolled back/);
    const list = await f.actor.slashCommand(PEOPLE.bob.id, f.generalId, 'list');
    expect(ackText(list)).toContain(`*INC-1* sev3 · investigating — Checkout is slow — <#${channelId}>`);
  });

  it('when /incident start has no title, then a form opens; submitting it declares the incident', async () => {
    const opened = await f.actor.slashCommand(PEOPLE.ann.id, f.generalId, 'start');
    expect(opened.status).toBe(200);
    const view = f.emulator.views().at(-1)!;
    expect(view.view.callback_id).toBe('incident_declare');
    const submitted = await f.actor.submitView(PEOPLE.ann.id, {
      id: view.id,
      callback_id: 'incident_declare',
      private_metadata: String(view.view.private_metadata),
      values: {
        title_block: { title: { type: 'plain_text_input', value: 'Search is down' } },
        severity_block: { severity: { type: 'static_select', selected_option: { value: 'sev1' } } },
        description_block: { description: { type: 'plain_text_input', value: 'All search queries time out' } },
      },
    });
    expect(submitted.status).toBe(200);
    await f.settle();
    const [incident] = await f.store.listOpenIncidents(f.emulator.identity.teamId);
    expect(incident).toMatchObject({ title: 'Search is down', severity: 'sev1', description: 'All search queries time out' });
    // The bot is not in #general, so the ephemeral answer fails there and the declarer gets a DM.
    expect(f.emulator.directMessages(PEOPLE.ann.id).some((m) => m.text.includes(`<#${incident.chat!.channelId}>`))).toBe(true);
  });

  it('when a request is unsigned or stale, then it gets 401 and changes nothing', async () => {
    const body = new URLSearchParams({
      command: '/incident',
      text: 'start sneaky',
      team_id: f.emulator.identity.teamId,
      user_id: PEOPLE.ann.id,
      channel_id: f.generalId,
      trigger_id: 't1',
    }).toString();
    const unsigned = await f.actor.rawRequest(body, { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(unsigned.status).toBe(401);
    expect(await f.store.listOpenIncidents(f.emulator.identity.teamId)).toEqual([]);
  });

  it('when a whole incident ran, then no secret appears in the logs', async () => {
    const { channelId } = await f.declare('Checkout is slow');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close');
    await f.settle();
    const all = f.logs.join('\n');
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toContain(f.config.slack.botToken);
    expect(all).not.toContain(f.config.slack.signingSecret!);
  });
});
