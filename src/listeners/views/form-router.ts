// Every form submission in ONE Bolt listener routed by callback_id: Bolt runs each listener's
// matchers on every request (commands and buttons too), so fewer listeners cost all traffic less.

import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';

export type FormSubmission = (args: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => Promise<void>;

export function registerForms(app: App, forms: Record<string, FormSubmission>): void {
  const ids = new RegExp(
    `^(?:${Object.keys(forms)
      .map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('|')})$`,
  );
  app.view<ViewSubmitAction>({ callback_id: ids, type: 'view_submission' }, async (args) => {
    await forms[args.view.callback_id]?.(args);
  });
}
