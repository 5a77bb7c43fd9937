import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { App, LogLevel, verifySlackRequest, type BlockButtonAction } from '@slack/bolt';
import { signSlackRequest, SlackActor } from '../../../src/sandbox/slack-actor';
import type { SlackEmulator } from '../../../src/sandbox/slack-emulator';
import { ALICE, BOB, BOT_TOKEN, startEmulator } from './emulator-fixture';

const SIGNING_SECRET = 'actor-test-signing-secret';
const PAGE_ACK = 'escalation_acknowledge';
const PAGE_BLOCKS = [
  { type: 'section', text: { type: 'mrkdwn', text: ':rotating_light: *You are paged for INC-3*' } },
  {
    type: 'actions',
    block_id: 'page_actions',
    elements: [{ type: 'button', action_id: PAGE_ACK, style: 'primary', text: { type: 'plain_text', text: 'Acknowledge' }, value: 'ESC-7' }],
  },
];
const SETTLED_BLOCKS = [{ type: 'section', text: { type: 'mrkdwn', text: 'Acknowledged' } }];

interface JsonSchema {
  required?: string[];
  properties?: Record<string, JsonSchema & { type?: string }>;
}
const asyncApi = JSON.parse(readFileSync(resolve(__dirname, '../../fixtures/slack-specs/slack-events-api-asyncapi-v1.json'), 'utf8')) as {
  components: { schemas: { GenericEventWrapper: JsonSchema } };
  topics: Record<string, { subscribe: { payload: JsonSchema } }>;
};

/** Checks an envelope against the spec's required fields and their JSON types. */
function expectConformingEnvelope(envelope: Record<string, unknown>): void {
  const wrapper = asyncApi.components.schemas.GenericEventWrapper;
  expect(Object.keys(envelope)).toEqual(expect.arrayContaining(wrapper.required!));
  for (const [field, schema] of Object.entries(wrapper.properties!)) {
    const value = envelope[field];
    const type = Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
    expect({ field, type }).toEqual({ field, type: schema.type });
  }
  expect(Object.keys(envelope.event as object)).toEqual(expect.arrayContaining(wrapper.properties!.event.required!));
  expect(envelope.event_id).toMatch(/^Ev[0-9A-Z]+$/);
}

describe('signSlackRequest', () => {
  it('when Bolt verifies the signature, then it accepts it, and rejects it under another secret', () => {
    const body = 'token=x&team_id=T0TEST&command=%2Fincident&text=declare';
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = { 'x-slack-signature': signSlackRequest(SIGNING_SECRET, timestamp, body), 'x-slack-request-timestamp': timestamp };
    expect(() => verifySlackRequest({ signingSecret: SIGNING_SECRET, body, headers })).not.toThrow();
    expect(() => verifySlackRequest({ signingSecret: 'other-secret', body, headers })).toThrow(/signature mismatch/);
  });
});

describe('SlackActor driving a real Bolt app over HTTP', () => {
  let emulator: SlackEmulator;
  let app: App;
  let actor: SlackActor;
  let channel: string;
  const seen: { body: Record<string, unknown>; retryNum?: number; retryReason?: string }[] = [];
  const acknowledgements: Pick<BlockButtonAction, 'actions' | 'channel' | 'container' | 'message' | 'user'>[] = [];
  const lastBody = () => seen[seen.length - 1].body;
  const lastEvent = () => lastBody().event as Record<string, unknown>;

  beforeAll(async () => {
    emulator = await startEmulator();
    app = new App({
      token: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      processBeforeResponse: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } },
    });
    app.use(async ({ body, context, next }) => {
      seen.push({ body: body as Record<string, unknown>, retryNum: context.retryNum, retryReason: context.retryReason });
      await next();
    });
    app.command('/incident', async ({ ack, respond, command, client }) => {
      await ack();
      await respond({ text: `Declaring: ${command.text}` });
      await client.views.open({
        trigger_id: command.trigger_id,
        view: { type: 'modal', callback_id: 'declare', private_metadata: command.channel_id, title: { type: 'plain_text', text: 'Declare' }, blocks: [] },
      });
    });
    app.view('declare', async ({ ack }) => ack({ response_action: 'errors', errors: { title: 'Too short' } }));
    app.action('ack_incident', async ({ ack, respond }) => {
      await ack();
      await respond({ replace_original: true, text: 'Acknowledged' });
    });
    // What the bot does when a paged person acknowledges: replace the page in their DM.
    app.action<BlockButtonAction>(PAGE_ACK, async ({ ack, body, client }) => {
      await ack();
      acknowledgements.push(body);
      await client.chat.update({ channel: body.channel!.id, ts: body.message!.ts, text: 'Acknowledged', blocks: SETTLED_BLOCKS });
    });
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    actor = new SlackActor({ appUrl, signingSecret: SIGNING_SECRET, emulator, teamId: 'T0TEST' });
    channel = emulator.createChannel({ name: 'inc-3-api', members: [emulator.identity.botUserId, ALICE, BOB] }).id;
  });

  afterAll(async () => {
    await app.stop();
    await emulator.stop();
  });

  it('when a slash command is sent, then Bolt accepts it and can answer and open a modal with it', async () => {
    const response = await actor.slashCommand(ALICE, channel, 'declare checkout is down');
    expect(response.status).toBe(200);
    expect(lastBody()).toMatchObject({
      command: '/incident',
      text: 'declare checkout is down',
      user_id: ALICE,
      user_name: 'alice',
      channel_id: channel,
      channel_name: 'inc-3-api',
      team_id: 'T0TEST',
      response_url: expect.stringContaining('/response/'),
      trigger_id: response.triggerId,
      api_app_id: emulator.identity.appId,
      is_enterprise_install: 'false',
    });
    expect(emulator.responses(response.responseUrlId)).toMatchObject([{ body: { text: 'Declaring: declare checkout is down' } }]);
    expect(emulator.views()).toMatchObject([{ user: ALICE, triggerId: response.triggerId }]);
  });

  it('when a modal is submitted, then Bolt gets view_submission with the values and can answer errors', async () => {
    const opened = emulator.views()[0];
    const values = { title: { title_input: { type: 'plain_text_input', value: 'x' } } };
    const response = await actor.submitView(ALICE, { id: opened.id, values });
    expect(response.json).toEqual({ response_action: 'errors', errors: { title: 'Too short' } });
    expect(lastBody()).toMatchObject({
      type: 'view_submission',
      user: { id: ALICE },
      view: { id: opened.id, callback_id: 'declare', private_metadata: channel, state: { values } },
    });
  });

  it('when someone says something, then the envelope and the message event match the AsyncAPI description', async () => {
    const { ts, delivery } = await actor.say(ALICE, channel, 'Rolling back release 2024.3');
    expect(delivery.status).toBe(200);
    expectConformingEnvelope(lastBody());
    expect(lastBody()).toMatchObject({ type: 'event_callback', team_id: 'T0TEST', authorizations: [{ user_id: emulator.identity.botUserId, is_bot: true }] });
    expect(lastEvent()).toMatchObject({ type: 'message', channel, user: ALICE, text: 'Rolling back release 2024.3', ts, event_ts: ts, channel_type: 'channel' });
    expect(emulator.messages(channel).at(-1)).toMatchObject({ ts, user: ALICE, text: 'Rolling back release 2024.3' });
  });

  it('when a message is edited and deleted, then message_changed and message_deleted carry what Slack sends', async () => {
    const { ts } = await actor.say(BOB, channel, 'typo');
    await actor.edit(BOB, channel, ts, 'fixed');
    expect(lastEvent()).toMatchObject({
      subtype: 'message_changed',
      hidden: true,
      channel,
      message: { ts, text: 'fixed', user: BOB, edited: { user: BOB } },
      previous_message: { ts, text: 'typo' },
    });
    await actor.remove(channel, ts);
    const deletedSchema = asyncApi.topics.message.subscribe.payload.properties!.event;
    expect(Object.keys(lastEvent())).toEqual(expect.arrayContaining(deletedSchema.required!));
    expect(lastEvent()).toMatchObject({ subtype: 'message_deleted', deleted_ts: ts, previous_message: { text: 'fixed' } });
    expect(emulator.messages(channel).some((m) => m.ts === ts)).toBe(false);
  });

  it('when a message is reacted to and pinned, then reaction and pin events name the item', async () => {
    const { ts } = await actor.say(ALICE, channel, 'Root cause: expired certificate');
    await actor.react(BOB, channel, ts, 'eyes');
    expectConformingEnvelope(lastBody());
    expect(lastEvent()).toMatchObject({ type: 'reaction_added', user: BOB, reaction: 'eyes', item_user: ALICE, item: { type: 'message', channel, ts } });
    await actor.pin(BOB, channel, ts);
    expect(lastEvent()).toMatchObject({
      type: 'pin_added',
      user: BOB,
      channel_id: channel,
      item: { type: 'message', channel, created_by: BOB, message: { ts, text: 'Root cause: expired certificate' } },
    });
    expect(emulator.pinnedTs(channel)).toContain(ts);
    await actor.unpin(BOB, channel, ts);
    expect(lastEvent()).toMatchObject({ type: 'pin_removed', item: { message: { ts } }, has_pins: false });
  });

  it('when an event is redelivered, then it keeps its id and carries Slack’s retry headers', async () => {
    const { delivery } = await actor.say(ALICE, channel, 'once');
    const retry = await actor.deliverEvent(delivery.event, { eventId: delivery.eventId, retryNum: 1, retryReason: 'http_timeout' });
    expect(retry.status).toBe(200);
    expect(seen.at(-1)).toMatchObject({ body: { event_id: delivery.eventId }, retryNum: 1, retryReason: 'http_timeout' });
  });

  it('when a button is clicked, then Bolt gets block_actions and its response_url can replace the message', async () => {
    const blocks = [
      { type: 'actions', block_id: 'ack_block', elements: [{ type: 'button', action_id: 'ack_incident', value: 'INC-3', text: { type: 'plain_text', text: 'Ack' } }] },
    ];
    const posted = emulator.workspace.history.post({ channel, user: emulator.identity.botUserId, botId: emulator.identity.botId, text: 'Page', blocks });
    const response = await actor.clickButton(BOB, { channelId: channel, messageTs: posted.ts, actionId: 'ack_incident' });
    expect(response.status).toBe(200);
    expect(lastBody()).toMatchObject({
      type: 'block_actions',
      user: { id: BOB },
      container: { message_ts: posted.ts, channel_id: channel, is_ephemeral: false },
      actions: [{ action_id: 'ack_incident', block_id: 'ack_block', value: 'INC-3' }],
      message: { ts: posted.ts },
    });
    expect(emulator.workspace.history.message(channel, posted.ts)?.text).toBe('Acknowledged');
  });

  /** The bot pages someone: it opens their DM and posts the page with its Acknowledge button. */
  async function page(userId: string): Promise<{ dm: string; ts: string }> {
    const { channel } = await app.client.conversations.open({ users: userId });
    const { ts } = await app.client.chat.postMessage({ channel: channel!.id!, text: 'You are paged for INC-3', blocks: PAGE_BLOCKS });
    return { dm: channel!.id!, ts: ts! };
  }

  it('when a paged person clicks Acknowledge in their DM, then the action listener gets Slack’s block_actions and can update the DM', async () => {
    const { dm, ts } = await page(BOB);
    const response = await actor.clickButton(BOB, { channelId: dm, messageTs: ts, actionId: PAGE_ACK });
    expect(response.status).toBe(200);
    const [clicked] = acknowledgements;
    expect(clicked.actions).toEqual([
      {
        type: 'button',
        action_id: PAGE_ACK,
        block_id: 'page_actions',
        value: 'ESC-7',
        style: 'primary',
        text: { type: 'plain_text', text: 'Acknowledge', emoji: true },
        action_ts: expect.stringMatching(/^\d+\.\d{6}$/),
      },
    ]);
    expect(lastBody()).toMatchObject({
      type: 'block_actions',
      user: { id: BOB, username: 'bob', name: 'bob', team_id: 'T0TEST' },
      team: { id: 'T0TEST' },
      api_app_id: emulator.identity.appId,
      trigger_id: response.triggerId,
      response_url: expect.stringContaining('/response/'),
      container: { type: 'message', message_ts: ts, channel_id: dm, is_ephemeral: false },
      channel: { id: dm, name: 'directmessage' },
      message: { ts, text: 'You are paged for INC-3', blocks: PAGE_BLOCKS, bot_id: emulator.identity.botId },
      state: { values: {} },
    });
    expect(emulator.directMessages(BOB)).toMatchObject([{ ts, text: 'Acknowledged', blocks: SETTLED_BLOCKS }]);
  });

  it('when the button the app posted has no block_id, then the click carries the one Slack gave its block', async () => {
    const blocks = [
      { type: 'section', text: { type: 'mrkdwn', text: 'Page' }, accessory: { type: 'button', action_id: 'ack_incident', text: { type: 'plain_text', text: 'Ack' } } },
    ];
    const posted = emulator.workspace.history.post({ channel, user: emulator.identity.botUserId, botId: emulator.identity.botId, text: 'Page', blocks });
    await actor.clickButton(ALICE, { channelId: channel, messageTs: posted.ts, actionId: 'ack_incident' });
    const body = lastBody() as { actions: { block_id: string; value?: string }[]; message: { blocks: { block_id: string }[] } };
    expect(body.actions[0].block_id).toMatch(/^\S+$/);
    expect(body.actions[0].block_id).toBe(body.message.blocks[0].block_id);
    expect(body.actions[0]).not.toHaveProperty('value');
  });

  it('when the message or button is not there, or the DM is someone else’s, then clickButton throws and sends nothing', async () => {
    const { dm, ts } = await page(ALICE);
    const before = seen.length;
    await expect(actor.clickButton(ALICE, { channelId: dm, messageTs: ts, actionId: 'nope' })).rejects.toThrow(
      `No button with action_id nope in message ${ts} in ${dm}; it has: page_actions/${PAGE_ACK}`,
    );
    await expect(actor.clickButton(ALICE, { channelId: dm, messageTs: ts, actionId: PAGE_ACK, blockId: 'other' })).rejects.toThrow(/in block other/);
    await expect(actor.clickButton(ALICE, { channelId: dm, messageTs: '1.000001', actionId: PAGE_ACK })).rejects.toThrow(/sees no message/);
    await expect(actor.clickButton(BOB, { channelId: dm, messageTs: ts, actionId: PAGE_ACK })).rejects.toThrow(/cannot see .*DM with U0ALICE01/);
    expect(seen.length).toBe(before);
  });

  it('when Slack checks the request URL, then Bolt echoes the challenge', async () => {
    expect((await actor.verifyUrl('abc123')).json).toEqual({ challenge: 'abc123' });
  });

  it('when a request is forged or stale, then Bolt refuses it', async () => {
    const body = JSON.stringify({ type: 'event_callback', event: { type: 'message' } });
    const now = Math.floor(Date.now() / 1000);
    const headers = (ts: number, secret: string) => ({
      'Content-Type': 'application/json',
      'X-Slack-Request-Timestamp': String(ts),
      'X-Slack-Signature': signSlackRequest(secret, ts, body),
    });
    expect((await actor.rawRequest(body, headers(now, 'wrong-secret'))).status).toBe(401);
    expect((await actor.rawRequest(body, headers(now - 10 * 60, SIGNING_SECRET))).status).toBe(401);
    expect((await actor.rawRequest(body, headers(now, SIGNING_SECRET))).status).toBe(200);
  });
});
