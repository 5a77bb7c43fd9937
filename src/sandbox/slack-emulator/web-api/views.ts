import { randomBytes } from 'node:crypto';
import type { OpenedView } from '../types';
import type { Workspace } from '../workspace';
import { defineMethod, isObject, type ApiMethod } from './define';

function invalidArguments(message: string): Record<string, unknown> {
  return { response_metadata: { messages: [`[ERROR] ${message}`] } };
}

/** The view as Slack returns it: the app's JSON plus the fields Slack fills in. */
function viewJson(ws: Workspace, opened: OpenedView): Record<string, unknown> {
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
    hash: `${ws.ts.seconds()}.${randomBytes(4).toString('hex')}`,
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
const open = defineMethod(
  ['invalid_arguments', 'invalid_trigger_id', 'expired_trigger_id', 'exchanged_trigger_id'],
  ({ args, ws }, fail) => {
    const triggerId = args.string('trigger_id');
    if (!triggerId) return fail('invalid_arguments', invalidArguments('missing required field: trigger_id'));
    const view = args.json('view');
    if (!isObject(view)) return fail('invalid_arguments', invalidArguments('missing required field: view'));
    if (view.type !== 'modal') return fail('invalid_arguments', invalidArguments('invalid `type`'));
    const exchange = ws.interactions.exchangeTrigger(triggerId);
    if (exchange.check !== 'ok') return fail(exchange.check);
    return { view: viewJson(ws, ws.interactions.openView(triggerId, exchange.user, view)) };
  },
);

export const viewsMethods: Record<string, ApiMethod> = {
  'views.open': open,
};
