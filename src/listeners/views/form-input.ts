// What every form submission reads the same way: its values, who submitted it, and the id that
// makes a retried delivery of the same submission change nothing.

import type { SlackViewAction, ViewOutput } from '@slack/bolt';

import { escapePlainText } from '../../blocks/text';
import type { Invocation } from '../../usecases/context';

type ViewValues = Record<string, Record<string, { value?: string | null; selected_option?: { value?: string } | null }>>;

export interface FormInput {
  /** An input's text, trimmed and escaped on entry: Slack delivers form input as typed, not in the
   *  escaped message form all other user text is stored in. */
  text(block: string, action: string): string;
  /** The value of a select's chosen option, '' when none. */
  selected(block: string, action: string): string;
}

export function formInput(view: ViewOutput): FormInput {
  const values = view.state.values as ViewValues;
  return {
    text: (block, action) => escapePlainText(values[block]?.[action]?.value?.trim() ?? ''),
    selected: (block, action) => values[block]?.[action]?.selected_option?.value ?? '',
  };
}

export function submitter(body: SlackViewAction, view: ViewOutput, channelId: string): Invocation {
  return {
    teamId: body.team?.id ?? body.user.team_id ?? '',
    userId: body.user.id,
    channelId,
    // A view is submitted once; a retried delivery of the same submission carries the same id.
    sourceId: `view:${view.id}`,
  };
}
