import type { WebClient } from '@slack/web-api';
import type { SlackEmulator } from '../../../src/sandbox/slack-emulator';
import { ALICE, BOB, clientFor, slackError, startEmulator } from './emulator-fixture';

const GONE = 'U0GONE001';
const ONCALL = 'S0ONCALL1';

describe('SlackEmulator for paging: user groups and DMs (driven by the real WebClient)', () => {
  let emulator: SlackEmulator;
  let client: WebClient;

  beforeEach(async () => {
    emulator = await startEmulator();
    emulator.addUser({ id: GONE, name: 'gone', deleted: true });
    client = clientFor(emulator);
  });
  afterEach(() => emulator.stop());

  describe('usergroups.users.list', () => {
    it('when a group is seeded, then its members come back and its mention is the escaped form', async () => {
      emulator.addUsergroup({ id: ONCALL, handle: 'platform-oncall', users: [ALICE, BOB] });
      const { users } = await client.usergroups.users.list({ usergroup: ONCALL });
      expect(users).toEqual([ALICE, BOB]);
      expect(emulator.usergroup(ONCALL)).toMatchObject({ handle: 'platform-oncall', name: 'platform-oncall' });
      expect(emulator.usergroupMention(ONCALL)).toBe('<!subteam^S0ONCALL1|@platform-oncall>');
    });

    it('when the group does not exist, or is disabled and not asked for, then Slack answers no_such_subteam', async () => {
      emulator.addUsergroup({ id: 'S0OLD0001', handle: 'old-oncall', users: [BOB], disabled: true });
      expect(await slackError(client.usergroups.users.list({ usergroup: 'S0NOPE001' }))).toBe('no_such_subteam');
      expect(await slackError(client.usergroups.users.list({ usergroup: 'S0OLD0001' }))).toBe('no_such_subteam');
      const { users } = await client.usergroups.users.list({ usergroup: 'S0OLD0001', include_disabled: true });
      expect(users).toEqual([BOB]);
    });

    it('when seed data names an unknown user or reuses a handle, then addUsergroup throws', () => {
      expect(() => emulator.addUsergroup({ id: ONCALL, handle: 'x', users: ['U0TYPO001'] })).toThrow(/U0TYPO001/);
      emulator.addUsergroup({ id: ONCALL, handle: 'platform-oncall', users: [] });
      expect(() => emulator.addUsergroup({ id: 'S0OTHER01', handle: '@platform-oncall', users: [] })).toThrow(/already/);
    });
  });

  describe('conversations.open and the DM', () => {
    it('when the bot opens a DM, posts and updates in it, then both paths land in one conversation', async () => {
      const opened = await client.conversations.open({ users: ALICE });
      const dm = opened.channel!.id!;
      expect(dm).toMatch(/^D/);
      expect(opened.already_open).toBeUndefined();
      const again = await client.conversations.open({ users: ALICE, return_im: true });
      expect(again).toMatchObject({ already_open: true, channel: { id: dm, is_im: true, user: ALICE, is_user_deleted: false } });

      const blocks = [
        { type: 'actions', block_id: 'page_actions', elements: [{ type: 'button', action_id: 'ack', text: { type: 'plain_text', text: 'Acknowledge' }, value: 'ESC-1' }] },
      ];
      const page = await client.chat.postMessage({ channel: dm, text: 'You are paged', blocks });
      const byUserId = await client.chat.postMessage({ channel: ALICE, text: 'Reminder' });
      expect([page.channel, byUserId.channel]).toEqual([dm, dm]);

      const settled = [{ type: 'section', text: { type: 'mrkdwn', text: 'Acknowledged by <@U0ALICE01>' } }];
      await client.chat.update({ channel: dm, ts: page.ts!, text: 'Acknowledged', blocks: settled });
      expect(emulator.directMessages(ALICE)).toMatchObject([
        { channel: dm, ts: page.ts, text: 'Acknowledged', blocks: settled, botId: emulator.identity.botId },
        { channel: dm, text: 'Reminder' },
      ]);
      expect(emulator.directMessages(BOB)).toEqual([]);
    });

    it('when the DM is resumed by its id, then it is the same one; a channel id is refused', async () => {
      const { channel } = await client.conversations.open({ users: BOB });
      expect((await client.conversations.open({ channel: channel!.id! })).channel?.id).toBe(channel!.id);
      const general = emulator.createChannel({ name: 'general', members: [emulator.identity.botUserId] });
      expect(await slackError(client.conversations.open({ channel: general.id }))).toBe('method_not_supported_for_channel_type');
      expect(await slackError(client.apiCall('conversations.open', {}))).toBe('users_list_not_supplied');
    });

    it('when the person is unknown, deleted or a bot, then each has its error and no DM is opened', async () => {
      expect(await slackError(client.conversations.open({ users: 'U0NOBODY1' }))).toBe('user_not_found');
      expect(await slackError(client.conversations.open({ users: GONE }))).toBe('user_disabled');
      expect(await slackError(client.conversations.open({ users: emulator.identity.botUserId }))).toBe('cannot_dm_bot');
      expect(emulator.directMessages(GONE)).toEqual([]);
    });

    it('when the bot posts to a deleted user by id, then chat.postMessage answers channel_not_found', async () => {
      expect(await slackError(client.chat.postMessage({ channel: GONE, text: 'You are paged' }))).toBe('channel_not_found');
      expect(emulator.directMessages(GONE)).toEqual([]);
    });
  });
});
