// The `block_actions` payload Slack posts when someone clicks a button in a message: in a channel,
// in the bot's DM with them, or in an ephemeral message shown to them. Shapes follow Slack's
// interactivity reference; the button is always the one the message really holds.
import { createHash } from 'node:crypto';
import { messageJson } from '../slack-emulator/serialize';
import type { Block, EmulatedChannel, EmulatedMessage, EmulatedUser, EphemeralMessage } from '../slack-emulator/types';
import { isObject } from '../slack-emulator/web-api/define';
import { commonFields, type AppIdentity } from './interactive';

export interface ButtonClick {
  /** A channel id or the D… id of the bot's DM with the clicker. */
  channelId: string;
  /** A stored message's ts, or the `message_ts` of an ephemeral message shown to the clicker. */
  messageTs: string;
  actionId: string;
  /** Defaults to the button's value in the message. */
  value?: string;
  /** Picks the block when several hold a button with this action id (Slack needs them unique per block only). */
  blockId?: string;
}

export interface ClickSource {
  click: ButtonClick;
  channel: EmulatedChannel;
  /** Exactly one of these: the stored message, or the ephemeral one. */
  message?: EmulatedMessage;
  ephemeral?: EphemeralMessage;
  responseUrl: string;
  triggerId: string;
}

interface FoundElement {
  blockId: string;
  element: Record<string, unknown>;
}

/**
 * Slack gives every block the app left without a block_id one of its own, and reports clicks with
 * it. Derived from the message here, so the payload's `message.blocks` and `actions` agree.
 */
function withBlockIds(blocks: Block[], messageTs: string): Block[] {
  return blocks.map((block, index) => {
    if (typeof block.block_id === 'string') return block;
    const generated = createHash('sha1').update(`${messageTs}:${index}`).digest('base64url').slice(0, 5);
    return { ...block, block_id: generated };
  });
}

/** Interactive elements of `actions` blocks and section accessories. */
function interactiveElements(blocks: Block[]): FoundElement[] {
  return blocks.flatMap((block) =>
    [...(Array.isArray(block.elements) ? block.elements : []), block.accessory]
      .filter(isObject)
      .filter((element) => typeof element.action_id === 'string')
      .map((element) => ({ blockId: String(block.block_id), element })),
  );
}

/** The button the click names; a click on anything else is a mistake in the test, so it throws. */
function findButton(blocks: Block[], click: ButtonClick): FoundElement {
  const elements = interactiveElements(blocks);
  const found = elements.find((e) => e.element.action_id === click.actionId && (click.blockId === undefined || e.blockId === click.blockId));
  const where = `message ${click.messageTs} in ${click.channelId}`;
  if (!found) {
    const present = elements.map((e) => `${e.blockId}/${String(e.element.action_id)}`).join(', ') || 'none';
    const inBlock = click.blockId === undefined ? '' : ` in block ${click.blockId}`;
    throw new Error(`No button with action_id ${click.actionId}${inBlock} in ${where}; it has: ${present}`);
  }
  if (found.element.type !== 'button') throw new Error(`${click.actionId} in ${where} is a ${String(found.element.type)}, not a button`);
  return found;
}

/** Slack echoes the button's label with `emoji` filled in. */
function labelOf(element: Record<string, unknown>): unknown {
  const text = element.text;
  return isObject(text) && text.type === 'plain_text' ? { emoji: true, ...text } : text;
}

/** A click on a button of the user's Home tab: the payload carries the view, no channel and no response_url. */
export function homeBlockActionsPayload(
  app: AppIdentity,
  user: EmulatedUser,
  home: Record<string, unknown>,
  click: { actionId: string; value?: string },
  triggerId: string,
): Record<string, unknown> {
  const viewId = String(home.id);
  const blocks = withBlockIds(Array.isArray(home.blocks) ? (home.blocks as Block[]) : [], viewId);
  const { blockId, element } = findButton(blocks, { channelId: 'home', messageTs: viewId, actionId: click.actionId });
  const value = click.value ?? element.value;
  return {
    type: 'block_actions',
    ...commonFields(app, user, triggerId),
    container: { type: 'view', view_id: viewId },
    view: { ...home, blocks },
    actions: [{ type: 'button', action_id: click.actionId, block_id: blockId, text: labelOf(element), ...(value !== undefined ? { value } : {}), action_ts: app.ws.ts.next() }],
  };
}

export function blockActionsPayload(app: AppIdentity, user: EmulatedUser, source: ClickSource): Record<string, unknown> {
  const { click, channel, message, ephemeral } = source;
  const blocks = withBlockIds(message?.blocks ?? ephemeral?.blocks ?? [], click.messageTs);
  const { blockId, element } = findButton(blocks, click);
  const value = click.value ?? element.value;
  return {
    type: 'block_actions',
    ...commonFields(app, user, source.triggerId),
    container: { type: 'message', message_ts: click.messageTs, channel_id: channel.id, is_ephemeral: !message },
    // Slack names every DM `directmessage` in payloads, as in slash commands.
    channel: { id: channel.id, name: channel.imUser !== undefined ? 'directmessage' : channel.name },
    ...(message ? { message: { ...messageJson(app.ws, message), ...(message.blocks ? { blocks } : {}) } } : {}),
    state: { values: {} },
    response_url: source.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: click.actionId,
        block_id: blockId,
        text: labelOf(element),
        ...(value !== undefined ? { value } : {}),
        ...(element.style !== undefined ? { style: element.style } : {}),
        action_ts: app.ws.ts.next(),
      },
    ],
  };
}
