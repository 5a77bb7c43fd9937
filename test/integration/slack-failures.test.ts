// Slack is degraded during outages too: failed calls are retried from the stored outbox, and what
// cannot be done is said in the channel instead of failing silently.

import { attachBot } from '../../src/sandbox/sandbox';
import { ackText, PEOPLE, startFixture, type Fixture } from '../support/sandbox-fixture';

describe('when Slack calls fail', () => {
  let f: Fixture;

  beforeEach(async () => {
    f = await startFixture();
  });

  afterEach(async () => {
    await f.stop();
  });

  it('when posting the header fails with a 500 and then a 429, then it is retried and the channel ends up complete', async () => {
    f.emulator.failNext('chat.postMessage', { status: 500 });
    f.emulator.failNext('pins.add', { status: 429, retryAfterSeconds: 2 });
    const response = await f.actor.slashCommand(PEOPLE.ann.id, f.generalId, 'start Card payments failing sev1');
    expect(ackText(response)).toContain('Declared *INC-1*');
    await f.settle();
    const [incident] = await f.store.listOpenIncidents(f.emulator.identity.teamId);
    expect(f.emulator.callsTo('chat.postMessage')[0]).toMatchObject({ ok: false });

    // The runner waits out the backoff (and Retry-After) before trying again.
    for (let i = 0; i < 3; i++) {
      f.clock.advance(3_000);
      await f.settle();
    }
    const after = (await f.store.getIncident(incident.id))!;
    expect(after.chat?.headerTs).toBeDefined();
    expect(f.emulator.pinnedTs(after.chat!.channelId)).toEqual([after.chat!.headerTs]);
    expect(f.emulator.responses().some((r) => String(r.body.text).includes(`<#${after.chat!.channelId}>`))).toBe(true);
    expect(await f.store.outbox.pending(incident.id)).toEqual([]);
  });

  it('when someone cannot be invited, then the channel is told and the rest of the work goes on', async () => {
    f.emulator.addUser({ id: 'U0GONE', name: 'gone', deleted: true });
    const { channelId } = await f.declare('Card payments failing');
    const response = await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'lead <@U0GONE|gone>');
    expect(ackText(response)).toContain('is now the incident commander');
    await f.settle();
    const texts = f.emulator.messages(channelId).map((m) => m.text);
    expect(texts.some((t) => t.includes('I could not invite <@U0GONE>'))).toBe(true);
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    const header = f.emulator.messages(channelId).find((m) => m.ts === incident.chat!.headerTs)!;
    expect(JSON.stringify(header.blocks)).toContain('<@U0GONE>');
  });

  it('when Slack refuses to create the incident channel for good, then the declarer, promised a link, hears why', async () => {
    f.emulator.failNext('conversations.create', { error: 'restricted_action' });
    const started = await f.actor.slashCommand(PEOPLE.ann.id, f.generalId, 'start Card payments failing');
    await f.settle();

    expect(f.emulator.responses(started.responseUrlId).map((r) => String(r.body.text))).toContainEqual(
      expect.stringMatching(/^:warning: I could not create the channel for INC-1 "Card payments failing": .*restricted_action\. The incident is recorded, but without a channel/),
    );
    expect(f.logs.join('\n')).toContain('effect abandoned');
  });

  it('when the file upload fails for good, then the postmortem stays stored and the channel hears why', async () => {
    const { channelId } = await f.declare('Card payments failing');
    f.emulator.failNext('files.getUploadURLExternal', { error: 'not_authed' });
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close');
    await f.settle();
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    expect(await f.store.latestPostmortem(incident.id)).toBeDefined();
    expect(f.emulator.messages(channelId).map((m) => m.text)).toContainEqual(
      expect.stringContaining('I could not post the postmortem draft (it is saved: `/incident postmortem` tries again) for INC-1'),
    );
  });

  it('when Slack is down while the bot starts (auth.test fails), then the bot still serves requests once Slack is back', async () => {
    f.emulator.failNext('auth.test', { status: 500 }, 5);
    const late = await attachBot(f.emulator, f.clock, { sqlitePath: f.config.sqlite.path, logSink: () => undefined });
    try {
      const answer = await late.actor.slashCommand(PEOPLE.ann.id, f.generalId, 'start Started during a Slack outage');
      expect(ackText(answer)).toContain('Declared *INC-1*');
    } finally {
      await late.detach();
    }
  }, 30_000);
});
