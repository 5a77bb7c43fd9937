// Posts to a slash command's or a button click's response_url. The app may replace or delete the
// message the click came from, or post a new message: ephemeral unless `response_type` is
// `in_channel`. Every post is recorded as sent.
import { jsonReply, type HttpReply } from '../dispatch';
import type { ResponseTarget } from '../interactions';
import type { Block } from '../types';
import { isObject } from '../web-api/define';
import type { Workspace } from '../workspace';
import { jsonObjectBody, type IncomingRequest } from './body';

/** Clients send these flags as JSON booleans or, some of them, as strings. */
function flag(body: Record<string, unknown>, name: string): boolean {
  return body[name] === true || body[name] === 'true';
}

function contentOf(body: Record<string, unknown>): { text: string; blocks?: Block[] } {
  const text = typeof body.text === 'string' ? body.text : '';
  const blocks = Array.isArray(body.blocks) ? body.blocks.filter(isObject) : undefined;
  return { text, ...(blocks ? { blocks } : {}) };
}

/** Applies replace_original to the clicked message, whether it is in the channel or ephemeral. */
function replaceOriginal(ws: Workspace, target: ResponseTarget, content: { text: string; blocks?: Block[] }): void {
  if (!target.messageTs) return;
  const message = ws.history.message(target.channel, target.messageTs);
  const ephemeral = ws.interactions.ephemerals.find((e) => e.ts === target.messageTs && e.user === target.user);
  if (message) ws.history.update(message, content);
  else if (ephemeral) Object.assign(ephemeral, content);
}

function deleteOriginal(ws: Workspace, target: ResponseTarget): void {
  if (!target.messageTs) return;
  ws.history.remove(target.channel, target.messageTs);
  const index = ws.interactions.ephemerals.findIndex((e) => e.ts === target.messageTs && e.user === target.user);
  if (index >= 0) ws.interactions.ephemerals.splice(index, 1);
}

function postNew(ws: Workspace, target: ResponseTarget, body: Record<string, unknown>): void {
  const content = contentOf(body);
  if (body.response_type === 'in_channel') {
    ws.history.post({ channel: target.channel, user: ws.botUserId, botId: ws.identity.botId, ...content });
    return;
  }
  ws.interactions.ephemerals.push({ channel: target.channel, user: target.user, ...content, ts: ws.ts.next(), via: 'response_url' });
}

export function receiveResponse(ws: Workspace, responseUrlId: string, request: IncomingRequest): HttpReply {
  const body = jsonObjectBody(request);
  if (!body) return jsonReply(400, { ok: false, error: 'invalid_payload' });
  const use = ws.interactions.useResponseUrl(responseUrlId);
  if (use.check !== 'ok') return jsonReply(404, { ok: false, error: use.check });
  const { target } = use;
  ws.interactions.responses.push({ responseUrlId, channel: target.channel, user: target.user, body });
  const content = contentOf(body);
  if (flag(body, 'delete_original')) deleteOriginal(ws, target);
  else if (!content.text && !content.blocks?.length) return jsonReply(400, { ok: false, error: 'no_text' });
  else if (flag(body, 'replace_original')) replaceOriginal(ws, target, content);
  else postNew(ws, target, body);
  return jsonReply(200, { ok: true });
}
