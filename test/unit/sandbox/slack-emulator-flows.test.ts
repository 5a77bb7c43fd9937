import type { WebClient } from '@slack/web-api';
import type { SlackEmulator } from '../../../src/sandbox/slack-emulator';
import { ALICE, BOT_TOKEN, clientFor, slackError, startEmulator } from './emulator-fixture';

describe('SlackEmulator: uploads, modals, Home tabs, archiving, response URLs and raw HTTP', () => {
  let emulator: SlackEmulator;
  let client: WebClient;

  afterEach(() => emulator.stop());

  async function start(options: Parameters<typeof startEmulator>[0] = {}): Promise<void> {
    emulator = await startEmulator(options);
    client = clientFor(emulator);
  }

  async function channelWithAlice(): Promise<string> {
    const { channel } = await client.conversations.create({ name: 'inc-7-payments' });
    await client.conversations.invite({ channel: channel!.id!, users: ALICE });
    return channel!.id!;
  }

  async function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${emulator.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  describe('files.uploadV2', () => {
    beforeEach(() => start());

    it('when the client uploads a file, then its bytes are stored and shared with the comment', async () => {
      const channel = await channelWithAlice();
      const content = '# Postmortem INC-7\n\nPayments failed for 42 minutes — root cause: expired cert.\n';
      await client.files.uploadV2({
        channel_id: channel,
        content,
        filename: 'postmortem-INC-7.md',
        title: 'Postmortem draft',
        initial_comment: 'Draft postmortem attached',
      });
      expect(emulator.files()).toMatchObject([{ name: 'postmortem-INC-7.md', title: 'Postmortem draft', content, completed: true }]);
      const [message] = emulator.messages(channel);
      expect(message).toMatchObject({ text: 'Draft postmortem attached', files: [emulator.files()[0].id] });
      expect(emulator.callsTo('files.getUploadURLExternal')[0].args).toMatchObject({ filename: 'postmortem-INC-7.md', length: String(Buffer.byteLength(content)) });
      expect(emulator.callsTo('files.completeUploadExternal')[0].args).toMatchObject({ files: [{ id: emulator.files()[0].id, title: 'Postmortem draft' }] });
    });

    it('when completing an upload whose bytes never arrived, then Slack answers file_not_found', async () => {
      const channel = await channelWithAlice();
      const { file_id } = await client.files.getUploadURLExternal({ filename: 'a.txt', length: 3 });
      expect(await slackError(client.files.completeUploadExternal({ files: [{ id: file_id! }], channel_id: channel }))).toBe('file_not_found');
    });
  });

  describe('views.open', () => {
    it('when the trigger was issued for a user action, then it opens one modal, once', async () => {
      await start();
      const trigger = emulator.issueTriggerId(ALICE);
      const view = { type: 'modal' as const, callback_id: 'declare', title: { type: 'plain_text' as const, text: 'Declare' }, blocks: [] };
      const opened = await client.views.open({ trigger_id: trigger, view });
      expect(opened.view).toMatchObject({ id: emulator.views()[0].id, callback_id: 'declare' });
      expect(emulator.views()).toMatchObject([{ user: ALICE, view: { callback_id: 'declare' } }]);
      expect(await slackError(client.views.open({ trigger_id: trigger, view }))).toBe('exchanged_trigger_id');
      expect(await slackError(client.views.open({ trigger_id: '123.456.abc', view }))).toBe('invalid_trigger_id');
    });

    it('when the trigger is older than its lifetime, then it has expired', async () => {
      await start({ triggerTtlMs: 20 });
      const trigger = emulator.issueTriggerId(ALICE);
      await new Promise((resolve) => setTimeout(resolve, 60));
      const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Late' }, blocks: [] };
      expect(await slackError(client.views.open({ trigger_id: trigger, view }))).toBe('expired_trigger_id');
    });
  });

  describe('views.publish and conversations.archive', () => {
    beforeEach(() => start());

    it('when a Home tab is published, then it keeps its view id, a stale hash conflicts, and a bad view is refused', async () => {
      const home = { type: 'home' as const, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Hi' } }] };
      const first = await client.views.publish({ user_id: ALICE, view: home });
      const second = await client.views.publish({ user_id: ALICE, view: { ...home, blocks: [] }, hash: String(first.view?.hash) });
      expect(second.view?.id).toBe(first.view?.id);
      expect(emulator.homeView(ALICE)).toEqual({ ...home, blocks: [] });
      expect(await slackError(client.views.publish({ user_id: ALICE, view: home, hash: String(first.view?.hash) }))).toBe('hash_conflict');
      expect(await slackError(client.views.publish({ user_id: 'U0NOBODY', view: home }))).toBe('invalid_arguments');
      expect(await slackError(client.views.publish({ user_id: ALICE, view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] } }))).toBe('invalid_arguments');
      const tooMany = Array.from({ length: 101 }, () => ({ type: 'divider' }));
      expect(await slackError(client.views.publish({ user_id: ALICE, view: { type: 'home', blocks: tooMany } }))).toBe('invalid_arguments');
    });

    it('when a channel is archived, then posting there fails with is_archived and archiving again with already_archived', async () => {
      const channel = await channelWithAlice();
      await client.conversations.archive({ channel });
      expect(emulator.channel(channel)?.archived).toBe(true);
      expect(await slackError(client.chat.postMessage({ channel, text: 'late' }))).toBe('is_archived');
      expect(await slackError(client.conversations.archive({ channel }))).toBe('already_archived');
    });
  });

  describe('response URLs', () => {
    beforeEach(() => start());

    it('when the app answers ephemerally, then only the user sees it; in_channel becomes a message', async () => {
      const channel = await channelWithAlice();
      const url = emulator.issueResponseUrl({ channel, user: ALICE });
      const quiet = await fetch(url.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'Only you' }) });
      await fetch(url.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'Everyone', response_type: 'in_channel' }) });
      expect(await quiet.json()).toEqual({ ok: true });
      expect(emulator.ephemerals(ALICE)).toMatchObject([{ channel, text: 'Only you', via: 'response_url' }]);
      expect(emulator.messages(channel)).toMatchObject([{ text: 'Everyone', botId: emulator.identity.botId }]);
      expect(emulator.responses(url.id).map((r) => r.body.text)).toEqual(['Only you', 'Everyone']);
    });

    it('when a response URL is unknown or used more than five times, then it is refused', async () => {
      const channel = await channelWithAlice();
      expect((await postJson('/response/R0NOPE', { text: 'x' })).status).toBe(404);
      const url = emulator.issueResponseUrl({ channel, user: ALICE });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) statuses.push((await fetch(url.url, { method: 'POST', body: JSON.stringify({ text: `${i}` }) })).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    });
  });

  describe('raw HTTP', () => {
    beforeEach(() => start());

    it('when a body is JSON with a Bearer token, then it is accepted; broken JSON is invalid_json', async () => {
      const channel = await channelWithAlice();
      const auth = { Authorization: `Bearer ${BOT_TOKEN}` };
      const ok = await postJson('/api/chat.postMessage', { channel, text: 'from JSON', blocks: [{ type: 'divider' }] }, auth);
      expect(await ok.json()).toMatchObject({ ok: true, message: { text: 'from JSON', blocks: [{ type: 'divider' }] } });
      const broken = await postJson('/api/chat.postMessage', '{"channel":', auth);
      expect([broken.status, await broken.json()]).toEqual([200, { ok: false, error: 'invalid_json' }]);
    });

    it('when the token comes as a form argument, then it authenticates like the header', async () => {
      const body = new URLSearchParams({ token: BOT_TOKEN }).toString();
      const response = await fetch(`${emulator.apiUrl}auth.test`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
      expect(await response.json()).toMatchObject({ ok: true });
    });
  });

  describe('timestamps', () => {
    it('when the clock stands still, then message ts values still increase and keep Slack’s format', async () => {
      await start({ clock: { now: () => Date.UTC(2024, 2, 14, 9, 30) } });
      const channel = await channelWithAlice();
      const ts = [];
      for (let i = 0; i < 3; i += 1) ts.push((await client.chat.postMessage({ channel, text: `${i}` })).ts!);
      expect(ts).toEqual(['1710408600.000000', '1710408600.000001', '1710408600.000002']);
    });
  });

  it('when reset, then the workspace is empty again but the server and the bot remain', async () => {
    await start();
    await channelWithAlice();
    emulator.reset();
    expect(emulator.channelByName('inc-7-payments')).toBeUndefined();
    expect(emulator.calls).toEqual([]);
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
  });
});
