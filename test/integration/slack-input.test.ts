// Real Slack input the bot used to get wrong (issue #17), in the shapes Slack sends: broadcasts in
// re-posted text, form input that arrives unescaped, deleted thread parents (tombstones), alerts
// from integrations, files without a caption, the app_rate_limited callback and bidi controls.
// Event paths run over signed HTTP and over Socket Mode.

import { SMUGGLED_USER_ID, pingsIn, renderedText } from '../support/hostile-text';
import { ackText, PEOPLE, startFixture, type Fixture } from '../support/sandbox-fixture';
import type { Integration } from '../../src/sandbox/slack-emulator/types';

const ANN = PEOPLE.ann.id;
const BOB = PEOPLE.bob.id;
const DATADOG: Integration = { botId: 'B0DATADOG', appId: 'A0DATADOG', name: 'Datadog', webhook: true };
const PAGERDUTY: Integration = { botId: 'B0PAGERDUTY', appId: 'A0PAGERDUTY', name: 'PagerDuty', webhook: false, botUserId: 'U0PAGERDUTY' };

/** The Markdown as a reader sees it: backslash escapes resolved (a hard line break stays `\\` + newline). */
const unescapeMarkdown = (markdown: string) => markdown.replace(/\\([\\`*_[\]<>|~#&+=.)!-])/g, '$1');

/** Everything of the bot's that others in a conversation see: posts, edits, topics, in-channel answers. */
function shownToOthers(f: Fixture, acks: { body: string }[]): string[] {
  const shown = new Set(['chat.postMessage', 'chat.update', 'conversations.setTopic', 'conversations.setPurpose']);
  const inChannel = acks.map((a) => (a.body ? (JSON.parse(a.body) as Record<string, unknown>) : {})).filter((a) => a.response_type === 'in_channel');
  return [
    ...f.emulator.calls.filter((c) => shown.has(c.method)).flatMap((c) => renderedText(c.args)),
    ...inChannel.flatMap(renderedText),
    ...f.emulator.responses().flatMap((r) => renderedText(r.body)),
  ];
}

async function closedPostmortem(f: Fixture, channelId: string): Promise<string> {
  await f.actor.slashCommand(ANN, channelId, 'close');
  await f.settle();
  const incident = (await f.store.findIncidentByChannel(channelId))!;
  return (await f.store.latestPostmortem(incident.id))!.markdown;
}

describe.each(['http', 'socket'] as const)('hostile text over %s', (transport) => {
  let f: Fixture;

  beforeEach(async () => {
    f = await startFixture({ transport });
  });

  afterEach(async () => {
    await f.stop();
  });

  async function declare(title: string): Promise<{ channelId: string }> {
    const { channelId } = await f.declare(title);
    f.emulator.joinChannel(channelId, BOB);
    return { channelId };
  }

  it('when a page reason, a role name, a status message and an impact carry @channel, @here, @everyone or a user group, then nothing the bot posts broadcasts', async () => {
    const { channelId } = await f.declare('Checkout errors sev2');
    f.emulator.joinChannel(channelId, BOB);
    const acks = [
      await f.actor.slashCommand(ANN, channelId, `escalate <@${BOB}|bob> <!channel> wake up`),
      await f.actor.slashCommand(ANN, channelId, `role <!here> <@${BOB}|bob>`),
      await f.actor.slashCommand(ANN, channelId, 'role ops &amp; comms <@U0CID|cid>'),
      await f.actor.slashCommand(ANN, channelId, 'status identified <!everyone|everyone> look'),
      await f.actor.slashCommand(ANN, channelId, 'impact <!subteam^S0ALL|@everyone-eu> cannot pay'),
      await f.actor.slashCommand(ANN, channelId, 'note old alias <!group> and <!Channel>'),
    ];
    await f.settle();
    expect(acks.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(ackText(acks[0])).toContain('is paging <@U0BOB>: @\u2060channel wake up');

    const allowed = new Set([ANN, BOB, 'U0CID', f.emulator.identity.botUserId]);
    const shown = shownToOthers(f, acks);
    expect(shown.some((text) => text.includes('Paging <@U0BOB>') && text.includes('@\u2060channel wake up'))).toBe(true);
    expect(shown.filter((text) => pingsIn(text, allowed).length > 0)).toEqual([]);
    // The page DM too: its reason is read by the paged person, and it stays readable.
    const dm = f.emulator
      .directMessages(BOB)
      .map((m) => JSON.stringify(m.blocks ?? m.text))
      .join('\n');
    expect(dm).toContain('@\u2060channel wake up');
    expect(dm).not.toContain('<!channel>');
    // The header shows the role by a defused name.
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    const header = f.emulator.messages(channelId).find((m) => m.ts === incident.chat!.headerTs)!;
    expect(JSON.stringify(header.blocks)).toContain('*@\u2060here*');

    // In the postmortem the role labels are decoded like all other user text.
    const markdown = unescapeMarkdown(await closedPostmortem(f, channelId));
    expect(markdown).toContain('- @here: Bob Example');
    expect(markdown).toContain('- Ops & comms: Cid Example');
    expect(markdown).not.toMatch(/&amp;|<!here>/);
  });

  it('when a pinned thread parent is deleted while its replies remain (a tombstone), then its entry leaves the timeline and no "This message was deleted." is recorded', async () => {
    const { channelId } = await declare('Queue backlog');
    const parent = await f.actor.say(BOB, channelId, 'consumers stuck on partition 7');
    await f.actor.say(ANN, channelId, 'looking', { threadTs: parent.ts });
    await f.actor.pin(ANN, channelId, parent.ts);
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    const messages = () => f.store.listTimeline(incident.id).then((t) => t.filter((e) => e.kind === 'message'));
    expect((await messages()).map((e) => e.text)).toEqual(['consumers stuck on partition 7']);

    const deletion = await f.actor.remove(channelId, parent.ts);
    expect(deletion.status).toBe(200);
    expect(deletion.event).toMatchObject({ subtype: 'message_changed', message: { subtype: 'tombstone', user: 'USLACKBOT', text: 'This message was deleted.' } });
    expect(await messages()).toEqual([]);
    expect(await f.store.getTranscriptMessage(channelId, parent.ts)).toMatchObject({ deleted: true, text: 'consumers stuck on partition 7' });
    // A :pushpin: on the tombstone afterwards adds nothing back.
    await f.actor.react(ANN, channelId, parent.ts, 'pushpin');
    expect(await messages()).toEqual([]);
    expect(await closedPostmortem(f, channelId)).not.toContain('This message was deleted');
  });

  it('when a monitoring alert (a webhook with only attachments, an app with only blocks) is pinned or :pushpin:-ed, then it joins the timeline with its text and the integration as author', async () => {
    const { channelId } = await declare('Checkout latency');
    const webhook = await f.actor.postAsIntegration(channelId, DATADOG, {
      attachments: [
        {
          fallback: '[Triggered] p99 latency > 2s on checkout',
          color: '#d00000',
          title: '[Triggered] p99 latency > 2s on checkout',
          title_link: 'https://app.datadoghq.com/monitors/42',
          text: 'p99 is 2.4s for 5 minutes &amp; rising',
        },
      ],
    });
    expect(webhook.delivery.event).toMatchObject({ subtype: 'bot_message', bot_id: 'B0DATADOG', username: 'Datadog', text: '' });
    expect(webhook.delivery.event).not.toHaveProperty('user');
    const app = await f.actor.postAsIntegration(channelId, PAGERDUTY, {
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Incident #1234 <triggered>' } },
        { type: 'section', text: { type: 'mrkdwn', text: '*Service:* checkout-api &lt;eu&gt;' } },
      ],
    });
    await f.actor.react(ANN, channelId, webhook.ts, 'pushpin');
    await f.actor.pin(BOB, channelId, app.ts);
    await f.settle();

    const incident = (await f.store.findIncidentByChannel(channelId))!;
    const entries = (await f.store.listTimeline(incident.id)).filter((e) => e.kind === 'message');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ data: { author: 'Datadog' } });
    expect(entries[0].actorId).toBeUndefined();
    expect(entries[0].text).toBe('<https://app.datadoghq.com/monitors/42|[Triggered] p99 latency &gt; 2s on checkout>\np99 is 2.4s for 5 minutes &amp; rising');
    expect(entries[1]).toMatchObject({ data: { author: 'PagerDuty' }, text: 'Incident #1234 &lt;triggered&gt;\n*Service:* checkout-api &lt;eu&gt;' });

    const timeline = ackText(await f.actor.slashCommand(ANN, channelId, 'timeline'));
    expect(timeline).toContain('Slack message Datadog: <https://app.datadoghq.com/monitors/42|[Triggered] p99 latency &gt; 2s on checkout>');
    const markdown = unescapeMarkdown(await closedPostmortem(f, channelId));
    expect(markdown).toContain(
      '[Triggered] p99 latency > 2s on checkout (https://app.datadoghq.com/monitors/42)\\\n  p99 is 2.4s for 5 minutes & rising — Datadog _(Slack message)_',
    );
    expect(markdown).toContain('Incident #1234 <triggered>\\\n  *Service:* checkout-api <eu> — PagerDuty _(Slack message)_');
    // No users.info look-up for an integration: it is not a person.
    expect(f.emulator.callsTo('users.info').map((c) => c.args.user)).not.toContain('B0DATADOG');
  });

  it("when the bot's own message is pinned by a person, then it stays off the timeline", async () => {
    const { channelId } = await f.declare('Login broken');
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    // Its header, unpinned and pinned again by a person.
    const headerTs = incident.chat!.headerTs!;
    await f.actor.unpin(ANN, channelId, headerTs);
    const pinned = await f.actor.pin(ANN, channelId, headerTs);
    expect(pinned.event).toMatchObject({ item: { message: { user: f.emulator.identity.botUserId, bot_id: f.emulator.identity.botId } } });
    expect((await f.store.listTimeline(incident.id)).filter((e) => e.kind === 'message')).toEqual([]);
  });

  it('when a file is shared without a caption, or with one, then the timeline and the postmortem name the file and link it', async () => {
    const { channelId } = await declare('Checkout latency');
    const bare = await f.actor.shareFile(BOB, channelId, { name: 'p99-latency.png', title: 'p99 latency <last hour>' });
    const captioned = await f.actor.shareFile(ANN, channelId, { name: 'heap.txt', caption: 'heap dump before the restart' });
    expect(bare.delivery.event).toMatchObject({ subtype: 'file_share', text: '', upload: true });
    await f.actor.react(ANN, channelId, bare.ts, 'pushpin');
    await f.actor.react(ANN, channelId, captioned.ts, 'pushpin');
    await f.settle();

    const file = (id: string) => f.emulator.files().find((x) => x.id === id)!;
    const link = (id: string) => `https://${f.emulator.identity.teamDomain}.slack.com/files/${file(id).user}/${id}/${file(id).name}`;
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    const texts = (await f.store.listTimeline(incident.id)).filter((e) => e.kind === 'message').map((e) => e.text);
    expect(texts).toEqual([`File: <${link(bare.fileId)}|p99 latency &lt;last hour&gt;>`, `heap dump before the restart\nFile: <${link(captioned.fileId)}|heap.txt>`]);

    const markdown = unescapeMarkdown(await closedPostmortem(f, channelId));
    expect(markdown).toContain(`File: p99 latency <last hour> (${link(bare.fileId)}) — Bob Example _(Slack message)_`);
    expect(markdown).toContain(`heap dump before the restart\\\n  File: heap.txt (${link(captioned.fileId)}) — Ann Example _(Slack message)_`);
    expect(markdown).not.toContain('(no text)');
  });

  it('when an alert is edited (firing, then resolved), then its timeline entry follows the new attachment text', async () => {
    const { channelId } = await f.declare('Disk full');
    const alert = await f.actor.postAsIntegration(channelId, DATADOG, { attachments: [{ fallback: '[Triggered] disk 95% on db-1' }] });
    await f.actor.react(ANN, channelId, alert.ts, 'pushpin');
    const update = await f.actor.updateAsIntegration(channelId, alert.ts, { attachments: [{ fallback: '[Recovered] disk 60% on db-1' }] });
    expect(update.status).toBe(200);
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    expect((await f.store.listTimeline(incident.id)).filter((e) => e.kind === 'message').map((e) => e.text)).toEqual(['[Recovered] disk 60% on db-1']);
  });
});

describe('the Declare form', () => {
  let f: Fixture;

  beforeEach(async () => {
    f = await startFixture();
  });

  afterEach(async () => {
    await f.stop();
  });

  it('when the form holds "<", ">", "&" and a typed <!channel>, then they are stored as text (not markup), posted inert, and the postmortem title keeps every character', async () => {
    await f.actor.slashCommand(ANN, f.generalId, 'start');
    const view = f.emulator.views().at(-1)!;
    const submitted = await f.actor.submitView(ANN, {
      id: view.id,
      values: {
        title_block: { title: { type: 'plain_text_input', value: 'latency <100ms to >2s & 5xx' } },
        severity_block: { severity: { type: 'static_select', selected_option: { value: 'sev2' } } },
        description_block: { description: { type: 'plain_text_input', value: `p99 <!channel> & <@${SMUGGLED_USER_ID}> rising` } },
      },
    });
    expect(submitted.status).toBe(200);
    await f.settle();
    const [incident] = await f.store.listOpenIncidents(f.emulator.identity.teamId);
    // The one form every user text is stored in: Slack's escaped message text.
    expect(incident).toMatchObject({ title: 'latency &lt;100ms to &gt;2s &amp; 5xx', description: `p99 &lt;!channel&gt; &amp; &lt;@${SMUGGLED_USER_ID}&gt; rising` });
    expect(f.emulator.channel(incident.chat!.channelId)!.name).toMatch(/^inc-\d{8}-latency-100ms-to-2s-5xx$/);
    const allowed = new Set([ANN, f.emulator.identity.botUserId]);
    expect(shownToOthers(f, []).filter((text) => pingsIn(text, allowed).length > 0)).toEqual([]);
    const header = f.emulator.messages(incident.chat!.channelId).find((m) => m.ts === incident.chat!.headerTs)!;
    expect(header.text).toContain('latency &lt;100ms to &gt;2s &amp; 5xx');

    const markdown = unescapeMarkdown(await closedPostmortem(f, incident.chat!.channelId));
    expect(markdown.split('\n')[0]).toBe('# latency <100ms to >2s & 5xx');
  });

  it('when a slash-command title has entities, then the channel name is made from the words people read', async () => {
    const { channelId } = await f.declare('p99 &gt; 2s &amp; rising for <@U0BOB|bob>');
    expect(f.emulator.channel(channelId)!.name).toMatch(/^inc-\d{8}-p99-2s-rising-for-bob$/);
  });
});

describe('Slack callbacks and renderings', () => {
  let f: Fixture;

  beforeEach(async () => {
    f = await startFixture();
  });

  afterEach(async () => {
    await f.stop();
  });

  it('when Slack sends the top-level app_rate_limited callback, then it is answered 200 at once and logged', async () => {
    const started = Date.now();
    const response = await f.actor.notifyRateLimited(1518467820);
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2500); // Bolt's unhandled-request timeout is 3 s
    const line = f.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => String(l.msg).includes('app_rate_limited'));
    expect(line).toMatchObject({ level: 'warn', teamId: f.emulator.identity.teamId, minute: '2018-02-12T20:37:00.000Z' });
  });

  it('when app_rate_limited arrives as a Socket Mode envelope, then it is acknowledged and logged, and the connection keeps working', async () => {
    const socket = await startFixture({ transport: 'socket' });
    try {
      const { teamId, appId } = socket.emulator.identity;
      const payload = { token: 'emulated-verification-token', type: 'app_rate_limited', team_id: teamId, minute_rate_limited: 1518467820, api_app_id: appId };
      expect(await socket.emulator.socketMode.sendRaw(JSON.stringify({ envelope_id: 'rate-limited-1', type: 'events_api', payload, accepts_response_payload: false }))).toBe(true);
      const deadline = Date.now() + 2000;
      while (!socket.emulator.socketMode.acks.some((a) => a.envelopeId === 'rate-limited-1') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(socket.emulator.socketMode.acks.map((a) => a.envelopeId)).toContain('rate-limited-1');
      const lines = socket.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.find((l) => String(l.msg).includes('app_rate_limited'))).toMatchObject({ level: 'warn', teamId, minute: '2018-02-12T20:37:00.000Z' });
      expect(ackText(await socket.actor.slashCommand(ANN, socket.generalId, 'help'))).toContain('*Incident commands*');
    } finally {
      await socket.stop();
    }
  });

  it('when a note carries an unclosed right-to-left override, then it runs on into nothing the bot writes after it', async () => {
    const { channelId } = await f.declare('Bidi');
    const answer = ackText(await f.actor.slashCommand(ANN, channelId, 'note \u202Eevil\u2067 isolate'));
    expect(answer).toContain('evil isolate');
    expect(answer).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    await f.settle();
    const posted = f.emulator.calls.flatMap((c) => renderedText(c.args));
    expect(posted.filter((text) => /[\u202A-\u202E\u2066-\u2069]/.test(text))).toEqual([]);
    const markdown = await closedPostmortem(f, channelId);
    expect(markdown).toContain('evil isolate — Ann Example _(Note)_');
    expect(markdown).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    // Stored as typed: only the renderings leave the controls out.
    expect((await f.store.listTimeline(incident.id)).some((e) => e.text === '\u202Eevil\u2067 isolate')).toBe(true);
  });
});
