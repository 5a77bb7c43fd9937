import { pinnedItemJson } from '../serialize';
import { defineMethod, type ApiMethod } from './define';
import { findChannel, findMessage } from './lookup';

const add = defineMethod(['channel_not_found', 'no_item_specified', 'message_not_found', 'already_pinned'], ({ args, ws }, fail) => {
  const channel = findChannel(ws, args.string('channel'), fail);
  const ts = args.string('timestamp');
  if (!ts) return fail('no_item_specified');
  const message = findMessage(ws, channel, ts, fail);
  if (!ws.history.pin(channel.id, message.ts, ws.botUserId)) return fail('already_pinned');
  return {};
});

/** Newest pin first, as Slack lists them. */
const list = defineMethod(['channel_not_found'], ({ args, ws }, fail) => {
  const channel = findChannel(ws, args.string('channel'), fail);
  const items = ws.history
    .pins(channel.id)
    .reverse()
    .flatMap((pin) => {
      const message = ws.history.message(channel.id, pin.ts);
      return message ? [pinnedItemJson(ws, message, pin)] : [];
    });
  return { items };
});

export const pinsMethods: Record<string, ApiMethod> = {
  'pins.add': add,
  'pins.list': list,
};
