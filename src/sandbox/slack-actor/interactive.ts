// Slash command bodies and interactivity payloads as Slack posts them to an app.
import type { EmulatedUser, OpenedView } from '../slack-emulator/types';
import type { Workspace } from '../slack-emulator/workspace';

export interface AppIdentity {
  ws: Workspace;
  teamId: string;
  apiAppId: string;
  verificationToken: string;
}

/** Input values of a submitted modal: block_id → action_id → element state, as in `view.state.values`. */
export type ViewStateValues = Record<string, Record<string, Record<string, unknown>>>;

export interface ViewSubmission {
  /** The id views.open returned; fields the app sent then (blocks, title…) are filled in from it. */
  id: string;
  /** Required when the view was not opened through the emulator. */
  callback_id?: string;
  private_metadata?: string;
  values: ViewStateValues;
}

export interface CommandInvocation {
  user: EmulatedUser;
  channelId: string;
  channelName: string;
  command: string;
  text: string;
  responseUrl: string;
  triggerId: string;
}

/** Field order and names exactly as Slack sends a slash command (form-encoded). */
export function commandForm(app: AppIdentity, invocation: CommandInvocation): string {
  return new URLSearchParams({
    token: app.verificationToken,
    team_id: app.teamId,
    team_domain: app.ws.identity.teamDomain,
    channel_id: invocation.channelId,
    channel_name: invocation.channelName,
    user_id: invocation.user.id,
    user_name: invocation.user.name,
    command: invocation.command,
    text: invocation.text,
    api_app_id: app.apiAppId,
    is_enterprise_install: 'false',
    response_url: invocation.responseUrl,
    trigger_id: invocation.triggerId,
  }).toString();
}

/** Interactivity arrives form-encoded with one field, `payload`, holding JSON. */
export function interactiveForm(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

function userRef(app: AppIdentity, user: EmulatedUser): Record<string, unknown> {
  return { id: user.id, username: user.name, name: user.name, team_id: app.teamId };
}

/** Fields every interactivity payload carries. */
export function commonFields(app: AppIdentity, user: EmulatedUser, triggerId: string): Record<string, unknown> {
  return {
    team: { id: app.teamId, domain: app.ws.identity.teamDomain },
    user: userRef(app, user),
    api_app_id: app.apiAppId,
    token: app.verificationToken,
    trigger_id: triggerId,
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function viewSubmissionPayload(
  app: AppIdentity,
  user: EmulatedUser,
  submission: ViewSubmission,
  opened: OpenedView | undefined,
  triggerId: string,
): Record<string, unknown> {
  const sent = opened?.view ?? {};
  const callbackId = submission.callback_id ?? sent.callback_id;
  if (typeof callbackId !== 'string') throw new Error(`View ${submission.id} was not opened here; give its callback_id`);
  return {
    type: 'view_submission',
    ...commonFields(app, user, triggerId),
    view: {
      id: submission.id,
      team_id: app.teamId,
      type: 'modal',
      blocks: sent.blocks ?? [],
      private_metadata: submission.private_metadata ?? sent.private_metadata ?? '',
      callback_id: callbackId,
      state: { values: submission.values },
      hash: `${app.ws.ts.seconds()}.emulated`,
      title: sent.title ?? { type: 'plain_text', text: 'Modal' },
      clear_on_close: false,
      notify_on_close: false,
      close: sent.close ?? null,
      submit: sent.submit ?? null,
      previous_view_id: null,
      root_view_id: submission.id,
      app_id: app.apiAppId,
      external_id: '',
      app_installed_team_id: app.teamId,
      bot_id: app.ws.identity.botId,
    },
    response_urls: [],
  };
}
