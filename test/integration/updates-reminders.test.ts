// Stakeholder updates and reminders over signed HTTP: one announcement card edited in place,
// reminders that fire on a steered clock, survive a restart, fire once with two processes on one
// database, snooze and stop, nudges about roles and severity, and a 429 that delays only the card.

import { REMINDER_ACTIONS } from '../../src/blocks/ids';
import type { ReminderSettings } from '../../src/domain/reminders';
import type { EmulatedMessage } from '../../src/sandbox/slack-emulator/types';
import { attachBot, type AttachedBot } from '../../src/sandbox/sandbox';
import { SteeredTime } from '../../src/sandbox/steered-time';
import { ackText, PEOPLE, startFixture, type Fixture } from '../support/sandbox-fixture';

const MINUTE = 60_000;
const REMINDERS: ReminderSettings = {
  updateEvery: { sev1: 15 * MINUTE, sev2: 30 * MINUTE, sev3: 60 * MINUTE },
  rolesAfterMs: 30 * MINUTE,
  severityAfterMs: 120 * MINUTE,
};

const hasButton = (message: EmulatedMessage, actionId: string) => JSON.stringify(message.blocks ?? []).includes(actionId);

describe('stakeholder updates and the announcement card', () => {
  let f: Fixture;
  let announceId: string;
  // Steered from the real time (request signatures are checked against it): the card's pace and
  // Slack's Retry-After pass when the test moves it.
  let time: SteeredTime;

  beforeEach(async () => {
    time = new SteeredTime(Date.now());
    f = await startFixture({ announceChannelName: 'incidents', reminders: REMINDERS, timeZone: 'Europe/Berlin', clock: time });
    announceId = f.emulator.channelByName('incidents')!.id;
  });

  afterEach(async () => {
    await f.stop();
  });

  const botPostsIn = (channelId: string) => f.emulator.callsTo('chat.postMessage').filter((c) => c.ok && c.args.channel === channelId);
  const cardEdits = () => f.emulator.callsTo('chat.update').filter((c) => c.ok && c.args.channel === announceId);

  it('when several updates, a severity change and a new commander follow, then the one card is edited in place, never re-posted', async () => {
    const { channelId } = await f.declare('Checkout errors sev2');
    const [card] = f.emulator.messages(announceId);
    expect(card.text).toContain('INC-1 (sev2, investigating): Checkout errors');

    const first = await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'update EU checkouts fail for 30% of users');
    expect(ackText(first)).toContain('Your update of INC-1 is posted in the channel and on the announcement card.');
    await f.settle();
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'update identified A bad config push; rolling back');
    await f.settle();
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'severity sev1');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'lead <@U0BOB|bob>');
    await f.actor.slashCommand(PEOPLE.bob.id, channelId, 'update monitoring Rollback done &amp; error rate back to normal' /* as Slack sends a typed & */);
    await f.settle();

    expect(f.emulator.messages(announceId)).toHaveLength(1);
    expect(botPostsIn(announceId)).toHaveLength(1);
    expect(cardEdits().length).toBeGreaterThanOrEqual(1);
    expect(cardEdits().every((c) => c.args.ts === card.ts)).toBe(true);
    const shown = f.emulator.messages(announceId)[0];
    expect(shown.ts).toBe(card.ts);
    expect(shown.text).toContain('INC-1 (sev1, monitoring): Checkout errors');
    expect(shown.text).toContain('Latest: Rollback done &amp; error rate back to normal');
    expect(JSON.stringify(shown.blocks)).toContain('<@U0BOB>');

    const posted = f.emulator.messages(channelId).filter((m) => m.text.startsWith(':mega: *Update on INC-1*'));
    expect(posted.map((m) => m.text.split('\n')[1])).toEqual([
      '*What we know:* EU checkouts fail for 30% of users',
      '*What we know:* A bad config push; rolling back',
      '*What we know:* Rollback done &amp; error rate back to normal',
    ]);
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    expect(incident.status).toBe('monitoring');
    const timeline = await f.store.listTimeline(incident.id);
    expect(timeline.filter((e) => e.kind === 'update').map((e) => e.data?.status)).toEqual(['investigating', 'identified', 'monitoring']);
    // The status an update announces is a status change too (time to mitigate counts it).
    expect(timeline.filter((e) => e.kind === 'status').map((e) => e.data?.to)).toEqual(['identified', 'monitoring']);
  });

  it('when an update is posted in a private incident, then nothing reaches the announcement channel', async () => {
    await f.actor.slashCommand(PEOPLE.ann.id, f.generalId, 'start Payroll data exposure --private');
    await f.settle();
    const [incident] = await f.store.listOpenIncidents(f.emulator.identity.teamId);
    const update = await f.actor.slashCommand(PEOPLE.ann.id, incident.chat!.channelId, 'update Access revoked; auditing');
    expect(ackText(update)).toContain('is posted in the channel.');
    await f.settle();
    expect(f.emulator.messages(announceId)).toEqual([]);
    expect(f.emulator.calls.filter((c) => c.args.channel === announceId)).toEqual([]);
  });

  it('when /incident update has no text, then the form opens; its input is stored as plain text and nothing in it pings', async () => {
    const { channelId } = await f.declare('Checkout errors sev2');
    const opened = await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'update');
    expect(opened.status).toBe(200);
    const view = f.emulator.views().at(-1)!;
    expect(view.view.callback_id).toBe('incident_update');
    const submitted = await f.actor.submitView(PEOPLE.ann.id, {
      id: view.id,
      private_metadata: String(view.view.private_metadata),
      values: {
        status_block: { status: { type: 'static_select', selected_option: { value: 'identified' } } },
        known_block: { known: { type: 'plain_text_input', value: 'latency <100ms to >2s & <!channel> is angry' } },
        doing_block: { doing: { type: 'plain_text_input', value: 'Rolling back build 142' } },
        need_block: { need: { type: 'plain_text_input', value: '' } },
        next_block: { next: { type: 'static_select', selected_option: { value: '10' } } },
      },
    });
    expect(submitted.status).toBe(200);
    await f.settle();
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    expect(incident.status).toBe('identified');
    expect(incident.latestUpdate?.text).toBe('latency &lt;100ms to &gt;2s &amp; &lt;!channel&gt; is angry');
    expect(incident.reminders?.due.update).toBe(incident.latestUpdate!.at + 10 * MINUTE);
    const posted = f.emulator.messages(channelId).find((m) => m.text.startsWith(':mega:'))!;
    expect(posted.text).toContain('*What we are doing:* Rolling back build 142');
    expect(posted.text).not.toContain('What we need');
    for (const message of [posted, ...f.emulator.messages(announceId)]) expect(message.text).not.toMatch(/<!(channel|here|everyone)/);
  });

  it('when the form is submitted without what we know, then it answers with a field error and posts nothing', async () => {
    const { channelId } = await f.declare('Checkout errors sev2');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'update');
    const view = f.emulator.views().at(-1)!;
    const submitted = await f.actor.submitView(PEOPLE.ann.id, {
      id: view.id,
      private_metadata: String(view.view.private_metadata),
      values: { known_block: { known: { type: 'plain_text_input', value: '   ' } } },
    });
    expect(JSON.parse(submitted.body)).toEqual({ response_action: 'errors', errors: { known_block: 'Say what we know so far.' } });
    await f.settle();
    expect(f.emulator.messages(channelId).some((m) => m.text.startsWith(':mega:'))).toBe(false);
  });

  it('when Slack answers 429 for the announcement channel, then only the card waits: the channel and header go on, the card catches up with the latest', async () => {
    const { channelId } = await f.declare('Checkout errors sev2');
    const card = f.emulator.messages(announceId)[0];
    const limiter = f.emulator.limitChannelRate({ methods: ['chat.update'], perSecond: 0.5, burst: 1, channels: [announceId] });
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'update First look: EU only');
    await f.settle();
    await time.pass(1_100, () => f.bot.effects.idle()); // past the card's pace, so the next edit is tried at once and meets the 429
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'update identified Config push found');
    await f.settle();

    expect(limiter.limited.length).toBeGreaterThanOrEqual(1);
    expect(limiter.limited.every((l) => l.channel === announceId)).toBe(true);
    // The incident channel got both updates and the header its edits while the card was held back.
    expect(f.emulator.messages(channelId).filter((m) => m.text.startsWith(':mega:'))).toHaveLength(2);
    const header = f.emulator.messages(channelId).find((m) => m.ts === f.emulator.pinnedTs(channelId)[0])!;
    expect(JSON.stringify(header.blocks)).toContain('identified');
    expect(f.emulator.messages(announceId)[0].text).not.toContain('Config push found');

    await time.pass(5_000, () => f.bot.effects.idle()); // the 429's Retry-After (2 s) and more
    await f.settle();
    const shown = f.emulator.messages(announceId);
    expect(shown).toHaveLength(1);
    expect(shown[0].ts).toBe(card.ts);
    expect(shown[0].text).toContain('INC-1 (sev2, identified)');
    expect(shown[0].text).toContain('Latest: Config push found');
  });
});

describe('update reminders and nudges on a steered clock', () => {
  let f: Fixture;
  let time: SteeredTime;
  const extra: AttachedBot[] = [];

  beforeEach(async () => {
    time = new SteeredTime(Date.now());
    f = await startFixture({ reminders: REMINDERS, clock: time });
  });

  afterEach(async () => {
    for (const bot of extra.splice(0)) await bot.detach();
    await f.stop();
  });

  const reminders = (channelId: string) => f.emulator.messages(channelId).filter((m) => hasButton(m, REMINDER_ACTIONS.postUpdate));
  const nudges = (channelId: string, emoji: string) => f.emulator.messages(channelId).filter((m) => m.text.startsWith(emoji));
  const later = async (ms: number, bot: { settle(): Promise<void> } = f) => {
    f.clock.advance(ms);
    await bot.settle();
  };

  it('when no update comes, then the commander is reminded at the cadence of the severity, again and again; an update resets it', async () => {
    const { channelId } = await f.declare('Checkout errors sev2');
    await later(29 * MINUTE);
    expect(reminders(channelId)).toHaveLength(0);
    await later(2 * MINUTE);
    const [first] = reminders(channelId);
    expect(first.text).toBe(':alarm_clock: <@U0ANN>, INC-1 (sev2) is due a stakeholder update: no update since it was declared 31 minutes ago.');
    for (const id of Object.values(REMINDER_ACTIONS)) expect(hasButton(first, id)).toBe(true);

    await later(30 * MINUTE);
    expect(reminders(channelId)).toHaveLength(2);
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'update Still digging');
    await f.settle();
    await later(29 * MINUTE);
    expect(reminders(channelId)).toHaveLength(2);
    await later(2 * MINUTE);
    expect(reminders(channelId)).toHaveLength(3);
    expect(reminders(channelId)[2].text).toContain('the last update was 31 minutes ago');
  });

  it('when the deadline comes, then the running bot finds it by itself (its poll), with no one kicking it', async () => {
    const { channelId } = await f.declare('Checkout errors sev2');
    time.advance(31 * MINUTE);
    expect(reminders(channelId)).toHaveLength(0);
    await time.pass(1_000, () => f.bot.effects.idle()); // one poll
    expect(reminders(channelId)).toHaveLength(1);
  });

  it('when the severity changes, then the cadence follows it; sev4 gets no reminders', async () => {
    const { channelId } = await f.declare('Checkout errors sev2');
    await later(5 * MINUTE);
    // sev1's 15 minutes count from the declaration (the latest news), so the update is due at 15.
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'severity sev1');
    await later(9 * MINUTE);
    expect(reminders(channelId)).toHaveLength(0);
    await later(2 * MINUTE);
    expect(reminders(channelId)).toHaveLength(1);
    await later(15 * MINUTE);
    expect(reminders(channelId)).toHaveLength(2);
    // Raised to sev1 long after the last news: due now, not in the past.
    const late = await f.declare('Search slow sev3');
    await later(40 * MINUTE);
    await f.actor.slashCommand(PEOPLE.ann.id, late.channelId, 'severity sev1');
    await f.settle();
    expect(reminders(late.channelId)).toHaveLength(1);

    const quiet = await f.declare('Typo on the status page sev4');
    await later(3 * 60 * MINUTE);
    expect(reminders(quiet.channelId)).toHaveLength(0);
  });

  it('when a deadline passes while the bot is down, then it fires once when the bot starts again', async () => {
    const { channelId } = await f.declare('Checkout errors sev2');
    await f.bot.stop();
    f.clock.advance(45 * MINUTE);
    const restarted = await attachBot(f.emulator, f.clock, { sqlitePath: f.config.sqlite.path, reminders: REMINDERS, logSink: () => undefined });
    extra.push(restarted);
    await restarted.settle();
    expect(reminders(channelId)).toHaveLength(1);
    await restarted.settle();
    expect(reminders(channelId)).toHaveLength(1);
    // The next one is due a cadence after the late one fired, not at the missed slot.
    await later(29 * MINUTE, restarted);
    expect(reminders(channelId)).toHaveLength(1);
    await later(2 * MINUTE, restarted);
    expect(reminders(channelId)).toHaveLength(2);
  });

  it('when two bot processes share the database, then each reminder is posted once', async () => {
    const { channelId } = await f.declare('Checkout errors sev2');
    const second = await attachBot(f.emulator, f.clock, { sqlitePath: f.config.sqlite.path, reminders: REMINDERS, logSink: () => undefined });
    extra.push(second);
    for (let round = 1; round <= 3; round++) {
      f.clock.advance(31 * MINUTE);
      const incident = (await f.store.findIncidentByChannel(channelId))!;
      f.bot.effects.kick(incident.id);
      second.bot.effects.kick(incident.id);
      await Promise.all([f.settle(), second.settle()]);
      expect(reminders(channelId)).toHaveLength(round);
    }
  });

  it('when the commander snoozes, then the next reminder waits that long; when they stop, none comes again', async () => {
    const { channelId } = await f.declare('Checkout errors sev2');
    await later(31 * MINUTE);
    const [reminder] = reminders(channelId);
    const snoozed = await f.actor.clickButton(PEOPLE.ann.id, { channelId, messageTs: reminder.ts, actionId: REMINDER_ACTIONS.snooze15 });
    expect(snoozed.status).toBe(200);
    await f.settle();
    expect(
      f.emulator
        .responses(snoozed.responseUrlId)
        .map((r) => String(r.body.text))
        .join('\n'),
    ).toMatch(/Snoozed: the next update reminder for INC-1 comes at \d\d?:\d\d/);
    await later(14 * MINUTE);
    expect(reminders(channelId)).toHaveLength(1);
    await later(2 * MINUTE);
    expect(reminders(channelId)).toHaveLength(2);

    const stop = await f.actor.clickButton(PEOPLE.bob.id, { channelId, messageTs: reminders(channelId)[1].ts, actionId: REMINDER_ACTIONS.stop });
    await f.settle();
    expect(
      f.emulator
        .responses(stop.responseUrlId)
        .map((r) => String(r.body.text))
        .join('\n'),
    ).toContain('No more reminders or nudges for INC-1');
    await later(5 * 60 * MINUTE);
    expect(reminders(channelId)).toHaveLength(2);
    expect(nudges(channelId, ':thinking_face:')).toHaveLength(0);
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    expect(incident.reminders).toEqual({ due: {}, stoppedBy: PEOPLE.bob.id });
    // A later update still posts and schedules nothing.
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'update Still digging');
    await later(60 * MINUTE);
    expect(reminders(channelId)).toHaveLength(2);
  });

  it('when "Post update" is pressed, then the update form opens for that incident', async () => {
    const { channelId } = await f.declare('Checkout errors sev2');
    await later(31 * MINUTE);
    const pressed = await f.actor.clickButton(PEOPLE.ann.id, { channelId, messageTs: reminders(channelId)[0].ts, actionId: REMINDER_ACTIONS.postUpdate });
    expect(pressed.status).toBe(200);
    const view = f.emulator.views().at(-1)!;
    expect(view.view.callback_id).toBe('incident_update');
    expect(JSON.stringify(view.view.title)).toContain('Update INC-1');
  });

  it('when the incident is resolved, then no reminder or nudge comes any more', async () => {
    const { channelId } = await f.declare('Checkout errors sev1');
    await later(10 * MINUTE);
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'resolve rolled back');
    await later(5 * 60 * MINUTE);
    expect(reminders(channelId)).toHaveLength(0);
    expect(nudges(channelId, ':busts_in_silhouette:')).toHaveLength(0);
    expect(nudges(channelId, ':thinking_face:')).toHaveLength(0);
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    expect(incident.reminders?.due).toEqual({});
  });

  it('when nobody holds a role after a while, then the commander is nudged once; not when someone does', async () => {
    const lonely = await f.declare('Checkout errors sev3');
    const staffed = await f.declare('Search slow sev3');
    await f.actor.slashCommand(PEOPLE.ann.id, staffed.channelId, 'role comms <@U0BOB|bob>');
    await later(31 * MINUTE);
    expect(nudges(lonely.channelId, ':busts_in_silhouette:').map((m) => m.text)).toEqual([
      expect.stringContaining('<@U0ANN>, nobody holds a role in INC-1 31 minutes after it was declared.'),
    ]);
    expect(nudges(staffed.channelId, ':busts_in_silhouette:')).toHaveLength(0);
    await later(60 * MINUTE);
    expect(nudges(lonely.channelId, ':busts_in_silhouette:')).toHaveLength(1);
  });

  it('when the severity has not changed for long, then the commander is asked whether it is still right; a change restarts the wait', async () => {
    const steady = await f.declare('Checkout errors sev3');
    const moved = await f.declare('Search slow sev3');
    await later(60 * MINUTE);
    await f.actor.slashCommand(PEOPLE.ann.id, moved.channelId, 'severity sev2');
    await later(61 * MINUTE);
    expect(nudges(steady.channelId, ':thinking_face:').map((m) => m.text)).toEqual([expect.stringContaining('INC-1 has been *sev3* for 2 hours 1 minute.')]);
    expect(nudges(moved.channelId, ':thinking_face:')).toHaveLength(0);
    await later(60 * MINUTE);
    expect(nudges(moved.channelId, ':thinking_face:')).toHaveLength(1);
  });
});
