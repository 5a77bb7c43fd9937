import { ErrorCode, WebAPIHTTPError, WebAPIRateLimitedError, type WebClient } from '@slack/web-api';
import type { SlackEmulator } from '../../../src/sandbox/slack-emulator';
import { ALICE, BOB, clientFor, slackError, startEmulator } from './emulator-fixture';

describe('SlackEmulator Web API (driven by the real WebClient)', () => {
  let emulator: SlackEmulator;
  let client: WebClient;

  beforeEach(async () => {
    emulator = await startEmulator();
    client = clientFor(emulator);
  });
  afterEach(() => emulator.stop());

  async function incidentChannel(name = 'inc-1-checkout'): Promise<string> {
    const { channel } = await client.conversations.create({ name });
    return channel!.id!;
  }

  describe('auth', () => {
    it('when the token is the bot token, then auth.test reports the bot and its team', async () => {
      const auth = await client.auth.test();
      expect(auth).toMatchObject({ ok: true, team_id: 'T0TEST', user_id: emulator.identity.botUserId, bot_id: emulator.identity.botId });
      expect(auth.url).toMatch(/^https:\/\/.+\.slack\.com\/$/);
    });

    it('when the token is wrong or missing, then calls fail with invalid_auth / not_authed', async () => {
      expect(await slackError(clientFor(emulator, 'xoxb-wrong').auth.test())).toBe('invalid_auth');
      expect(await slackError(clientFor(emulator, null).auth.test())).toBe('not_authed');
    });

    it('when the method does not exist, then Slack answers unknown_method', async () => {
      expect(await slackError(client.apiCall('incidents.declare'))).toBe('unknown_method');
    });
  });

  describe('conversations', () => {
    it('when the bot creates a channel, then it is its member and the name is taken', async () => {
      const { channel } = await client.conversations.create({ name: 'inc-1-checkout', is_private: false });
      expect(channel).toMatchObject({ name: 'inc-1-checkout', is_channel: true, is_private: false, is_member: true });
      expect(emulator.channelByName('inc-1-checkout')?.members).toEqual([emulator.identity.botUserId]);
      expect(await slackError(client.conversations.create({ name: 'inc-1-checkout' }))).toBe('name_taken');
    });

    it.each([
      ['', 'invalid_name_required'],
      ['x'.repeat(81), 'invalid_name_maxlength'],
      ['Checkout-Down', 'invalid_name_specials'],
      ['inc 1', 'invalid_name_specials'],
      ['inc.1', 'invalid_name_specials'],
      ['--', 'invalid_name_punctuation'],
    ])('when the name is %j, then creation fails with %s', async (name, error) => {
      expect(await slackError(client.conversations.create({ name }))).toBe(error);
    });

    it('when inviting, then members join and each kind of bad invitee has its error', async () => {
      const channel = await incidentChannel();
      emulator.addUser({ id: 'U0GONE001', name: 'gone', deleted: true });
      await client.conversations.invite({ channel, users: `${ALICE},${BOB}` });
      expect(emulator.channel(channel)?.members).toEqual([emulator.identity.botUserId, ALICE, BOB]);
      expect(await slackError(client.conversations.invite({ channel, users: ALICE }))).toBe('already_in_channel');
      expect(await slackError(client.conversations.invite({ channel, users: 'U0NOBODY1' }))).toBe('user_not_found');
      expect(await slackError(client.conversations.invite({ channel, users: emulator.identity.botUserId }))).toBe('cant_invite_self');
      expect(await slackError(client.conversations.invite({ channel, users: 'U0GONE001' }))).toBe('cant_invite');
      expect(await slackError(client.conversations.invite({ channel: 'C0MISSING', users: ALICE }))).toBe('channel_not_found');
    });

    it('when one invitee is bad, then nobody is invited unless force is set', async () => {
      const channel = await incidentChannel();
      expect(await slackError(client.conversations.invite({ channel, users: `${ALICE},U0NOBODY1` }))).toBe('user_not_found');
      expect(emulator.channel(channel)?.members).not.toContain(ALICE);
      const forced = await client.conversations.invite({ channel, users: `${ALICE},U0NOBODY1`, force: true });
      expect(forced.errors).toEqual([{ user: 'U0NOBODY1', ok: false, error: 'user_not_found' }]);
      expect(emulator.channel(channel)?.members).toContain(ALICE);
    });

    it('when the bot is not in the channel, then it cannot invite; private channels are invisible to it', async () => {
      const general = emulator.createChannel({ name: 'general', members: [ALICE] });
      const secret = emulator.createChannel({ name: 'secret', isPrivate: true, members: [ALICE] });
      expect(await slackError(client.conversations.invite({ channel: general.id, users: BOB }))).toBe('not_in_channel');
      expect(await slackError(client.conversations.info({ channel: secret.id }))).toBe('channel_not_found');
      await client.conversations.join({ channel: general.id });
      const again = await client.conversations.join({ channel: general.id });
      expect(again.response_metadata?.warnings).toEqual(['already_in_channel']);
    });

    it('when topic and purpose are set, then the channel carries them', async () => {
      const channel = await incidentChannel();
      await client.conversations.setTopic({ channel, topic: 'SEV1 · checkout down' });
      await client.conversations.setPurpose({ channel, purpose: 'Incident INC-1' });
      const { channel: info } = await client.conversations.info({ channel, include_num_members: true });
      expect(info).toMatchObject({ topic: { value: 'SEV1 · checkout down' }, purpose: { value: 'Incident INC-1' }, num_members: 1 });
      expect(await slackError(client.conversations.setTopic({ channel, topic: 'x'.repeat(251) }))).toBe('too_long');
    });

    it('when members are listed page by page, then cursors walk the whole list', async () => {
      const channel = await incidentChannel();
      await client.conversations.invite({ channel, users: `${ALICE},${BOB}` });
      const first = await client.conversations.members({ channel, limit: 2 });
      const second = await client.conversations.members({ channel, limit: 2, cursor: first.response_metadata!.next_cursor });
      expect([...first.members!, ...second.members!]).toEqual([emulator.identity.botUserId, ALICE, BOB]);
      expect(second.response_metadata?.next_cursor).toBe('');
    });
  });

  describe('messages and pins', () => {
    it('when the bot posts, updates and pins, then the channel history shows it', async () => {
      const channel = await incidentChannel();
      const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Checkout down*' } }];
      const posted = await client.chat.postMessage({ channel, text: 'Checkout down', blocks });
      expect(posted.message).toMatchObject({ text: 'Checkout down', bot_id: emulator.identity.botId, blocks });
      await client.chat.update({ channel, ts: posted.ts!, text: 'Checkout degraded' });
      await client.pins.add({ channel, timestamp: posted.ts! });
      // chat.update without blocks keeps the message's blocks, as Slack does.
      expect(emulator.messages(channel)).toMatchObject([{ ts: posted.ts, text: 'Checkout degraded', blocks, user: emulator.identity.botUserId }]);
      expect(emulator.pinnedTs(channel)).toEqual([posted.ts]);
      expect(await slackError(client.pins.add({ channel, timestamp: posted.ts! }))).toBe('already_pinned');
      expect(await slackError(client.pins.add({ channel, timestamp: '1.000001' }))).toBe('message_not_found');
      const { items } = await client.pins.list({ channel });
      expect(items).toMatchObject([{ type: 'message', channel, message: { ts: posted.ts, pinned_to: [channel] } }]);
    });

    it('when a channel is given by name, then chat.postMessage resolves it', async () => {
      await incidentChannel('inc-2-search');
      const posted = await client.chat.postMessage({ channel: '#inc-2-search', text: 'hello' });
      expect(posted.channel).toBe(emulator.channelByName('inc-2-search')?.id);
    });

    it('when the channel is a user id, then the bot writes in its DM with that person', async () => {
      const posted = await client.chat.postMessage({ channel: ALICE, text: 'You are the incident commander' });
      expect(posted.channel).toMatch(/^D/);
      expect(emulator.directMessages(ALICE)).toMatchObject([{ channel: posted.channel, text: 'You are the incident commander' }]);
      expect((await client.conversations.info({ channel: posted.channel! })).channel).toMatchObject({ is_im: true, user: ALICE });
      expect(await slackError(client.chat.postMessage({ channel: 'U0NOBODY1', text: 'x' }))).toBe('channel_not_found');
    });

    it('when posting goes wrong, then each case has its Slack error', async () => {
      const channel = await incidentChannel();
      const outside = emulator.createChannel({ name: 'random', members: [ALICE] });
      const archived = emulator.createChannel({ name: 'old', archived: true, members: [emulator.identity.botUserId] });
      expect(await slackError(client.chat.postMessage({ channel: 'C0MISSING', text: 'x' }))).toBe('channel_not_found');
      expect(await slackError(client.chat.postMessage({ channel: outside.id, text: 'x' }))).toBe('not_in_channel');
      expect(await slackError(client.chat.postMessage({ channel: archived.id, text: 'x' }))).toBe('is_archived');
      expect(await slackError(client.chat.postMessage({ channel, text: '' }))).toBe('no_text');
    });

    it('when updating a message that is not the bot’s or does not exist, then chat.update refuses', async () => {
      const channel = await incidentChannel();
      await client.conversations.invite({ channel, users: ALICE });
      const human = emulator.workspace.history.post({ channel, user: ALICE, text: 'mine' });
      expect(await slackError(client.chat.update({ channel, ts: human.ts, text: 'x' }))).toBe('cant_update_message');
      expect(await slackError(client.chat.update({ channel, ts: '1.000001', text: 'x' }))).toBe('message_not_found');
    });

    it('when an ephemeral message is posted, then only its recipient has it, outside the history', async () => {
      const channel = await incidentChannel();
      await client.conversations.invite({ channel, users: ALICE });
      const { message_ts } = await client.chat.postEphemeral({ channel, user: ALICE, text: 'only you' });
      expect(emulator.ephemerals(ALICE)).toMatchObject([{ channel, user: ALICE, text: 'only you', ts: message_ts }]);
      expect(emulator.messages(channel)).toEqual([]);
      expect(await slackError(client.chat.postEphemeral({ channel, user: BOB, text: 'x' }))).toBe('user_not_in_channel');
    });

    it('when a permalink is asked for, then it points at the message', async () => {
      const channel = await incidentChannel();
      const { ts } = await client.chat.postMessage({ channel, text: 'x' });
      const { permalink } = await client.chat.getPermalink({ channel, message_ts: ts! });
      expect(permalink).toBe(`https://emulated.slack.com/archives/${channel}/p${ts!.replace('.', '')}`);
    });
  });

  describe('users', () => {
    it('when a user is looked up, then real and display names come back; unknown users fail', async () => {
      const { user } = await client.users.info({ user: ALICE });
      expect(user).toMatchObject({ id: ALICE, name: 'alice', real_name: 'Alice Achieng', tz: 'Africa/Nairobi', tz_offset: 10800 });
      expect(user?.profile).toMatchObject({ real_name: 'Alice Achieng', display_name: 'alice' });
      expect(await slackError(client.users.info({ user: 'U0NOBODY1' }))).toBe('user_not_found');
    });
  });

  describe('injected failures', () => {
    it('when a 429 is injected, then the client sees a rate-limit error with Retry-After', async () => {
      emulator.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 7 });
      const strict = clientFor(emulator, undefined, { rejectRateLimitedCalls: true });
      const channel = await incidentChannel();
      const error: unknown = await strict.chat.postMessage({ channel, text: 'x' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WebAPIRateLimitedError);
      expect(error).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
      expect(emulator.callsTo('chat.postMessage')).toMatchObject([{ ok: false, error: 'ratelimited', status: 429 }]);
    });

    it('when a 429 says retry at once, then a retrying client succeeds on the second attempt', async () => {
      const channel = await incidentChannel();
      emulator.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 0 });
      const retrying = clientFor(emulator, undefined, { retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } });
      await retrying.chat.postMessage({ channel, text: 'after the limit' });
      expect(emulator.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
    });

    it('when a 500 or an API error is injected, then the client sees exactly that, once per injection', async () => {
      const channel = await incidentChannel();
      emulator.failNext('chat.postMessage', { status: 500 });
      emulator.failNext('chat.postMessage', { error: 'fatal_error' }, 2);
      const error: unknown = await client.chat.postMessage({ channel, text: 'x' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WebAPIHTTPError);
      expect(error).toMatchObject({ statusCode: 500 });
      expect(await slackError(client.chat.postMessage({ channel, text: 'x' }))).toBe('fatal_error');
      expect(await slackError(client.chat.postMessage({ channel, text: 'x' }))).toBe('fatal_error');
      await expect(client.chat.postMessage({ channel, text: 'x' })).resolves.toMatchObject({ ok: true });
    });
  });

  it('records every call with decoded arguments and without the token', async () => {
    const channel = await incidentChannel();
    await client.chat.postMessage({ channel, text: 'x', blocks: [{ type: 'divider' }] });
    const [call] = emulator.callsTo('chat.postMessage');
    expect(call).toMatchObject({ ok: true, args: { channel, text: 'x', blocks: [{ type: 'divider' }] } });
    expect(JSON.stringify(emulator.calls)).not.toContain('xoxb-');
  });
});
