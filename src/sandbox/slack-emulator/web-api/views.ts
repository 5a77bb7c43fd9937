import { randomBytes } from 'node:crypto';
import type { OpenedView } from '../types';
import type { Workspace } from '../workspace';
import { defineMethod, isObject, type ApiMethod } from './define';

function invalidArguments(message: string): Record<string, unknown> {
  return { response_metadata: { messages: [`[ERROR] ${message}`] } };
}

/** Slack's limit on a Home tab's or a modal's blocks. */
const MAX_VIEW_BLOCKS = 100;

/** The view as Slack returns it (and sends it in payloads): the app's JSON plus the fields Slack fills in. */
export function viewJson(ws: Workspace, opened: Pick<OpenedView, 'id' | 'view'> & { hash?: string }): Record<string, unknown> {
  const { view } = opened;
  return {
    id: opened.id,
    team_id: ws.identity.teamId,
    type: view.type,
    title: view.title,
    blocks: view.blocks ?? [],
    close: view.close ?? null,
    submit: view.submit ?? null,
    private_metadata: view.private_metadata ?? '',
    callback_id: view.callback_id ?? '',
    state: { values: {} },
    hash: opened.hash ?? `${ws.ts.seconds()}.${randomBytes(4).toString('hex')}`,
    clear_on_close: view.clear_on_close ?? false,
    notify_on_close: view.notify_on_close ?? false,
    root_view_id: opened.id,
    previous_view_id: null,
    app_id: ws.identity.appId,
    external_id: view.external_id ?? '',
    app_installed_team_id: ws.identity.teamId,
    bot_id: ws.identity.botId,
  };
}

/** Opening a modal needs a trigger the emulator issued for a user action, used within 3 s, once. */
const open = defineMethod(['invalid_arguments', 'invalid_trigger_id', 'expired_trigger_id', 'exchanged_trigger_id'], ({ args, ws }, fail) => {
  const triggerId = args.string('trigger_id');
  if (!triggerId) return fail('invalid_arguments', invalidArguments('missing required field: trigger_id'));
  const view = args.json('view');
  if (!isObject(view)) return fail('invalid_arguments', invalidArguments('missing required field: view'));
  if (view.type !== 'modal') return fail('invalid_arguments', invalidArguments('invalid `type`'));
  const exchange = ws.interactions.exchangeTrigger(triggerId);
  if (exchange.check !== 'ok') return fail(exchange.check);
  return { view: viewJson(ws, ws.interactions.openView(triggerId, exchange.user, view)) };
});

/**
 * Publishes a user's Home tab. `hash` (from an earlier publish) guards against overwriting a newer
 * one: a hash that is not the current one is a `hash_conflict`.
 */
const publish = defineMethod(['invalid_arguments', 'hash_conflict'], ({ args, ws }, fail) => {
  const userId = args.string('user_id');
  if (!userId || !ws.directory.user(userId)) return fail('invalid_arguments', invalidArguments('invalid `user_id`'));
  const view = args.json('view');
  if (!isObject(view)) return fail('invalid_arguments', invalidArguments('missing required field: view'));
  if (view.type !== 'home') return fail('invalid_arguments', invalidArguments('invalid `type`'));
  if (Array.isArray(view.blocks) && view.blocks.length > MAX_VIEW_BLOCKS) {
    return fail('invalid_arguments', invalidArguments(`no more than ${MAX_VIEW_BLOCKS} items allowed [json-pointer:/view/blocks]`));
  }
  const hash = args.string('hash');
  const current = ws.interactions.home(userId);
  if (hash !== undefined && current && hash !== current.hash) return fail('hash_conflict');
  return { view: viewJson(ws, ws.interactions.publishHome(userId, view)) };
});

export const viewsMethods: Record<string, ApiMethod> = {
  'views.open': open,
  'views.publish': publish,
};
