import { chatMethods } from './chat';
import { conversationReadMethods } from './conversation-reads';
import { conversationsMethods } from './conversations';
import type { ApiMethod } from './define';
import { filesMethods } from './files';
import { identityMethods } from './identity';
import { pinsMethods } from './pins';
import { usergroupsMethods } from './usergroups';
import { viewsMethods } from './views';

export const WEB_API_METHODS: Readonly<Record<string, ApiMethod>> = {
  ...identityMethods,
  ...conversationsMethods,
  ...conversationReadMethods,
  ...chatMethods,
  ...pinsMethods,
  ...viewsMethods,
  ...filesMethods,
  ...usergroupsMethods,
};

/** Errors about the request itself (token, body), which any method can answer with before it runs. */
export const REQUEST_ERRORS = ['not_authed', 'invalid_auth', 'invalid_json', 'json_not_object', 'invalid_post_type', 'missing_post_type'] as const;

/** Upload v2 methods are newer than Slack's published OpenAPI spec (October 2020). */
export const METHODS_NEWER_THAN_SPEC: readonly string[] = ['files.getUploadURLExternal', 'files.completeUploadExternal'];

/**
 * Error codes real Slack returns that the October 2020 spec leaves out of a method's list. Kept
 * minimal and explicit; the conformance test fails if the spec turns out to list one of them.
 * - chat.postEphemeral `not_in_channel`: returned when the bot is not in the channel, even with
 *   chat:write.public (slackapi/node-slack-sdk#977, ifvictr/prox#30); current docs list it.
 * - chat.postMessage `invalid_json` / `json_not_object`: request-level errors the spec lists for
 *   every other method here. `invalid_metadata_format`: message metadata is newer than the spec;
 *   Slack's method reference lists the code for a `metadata` that is not an event_type/event_payload object.
 * - conversations.list / conversations.history `invalid_cursor`, conversations.history
 *   `not_in_channel` (the bot reads a public channel it has not joined): both in Slack's current
 *   method reference, absent from the 2020 spec.
 * - conversations.open `cannot_dm_bot`: what Slack answers when asked for a DM with a bot user;
 *   Slack clients handle it by name (errbot's Slack backend, among others).
 * - conversations.archive `not_in_channel`: in Slack's current method reference ("The token can
 *   not be found in channel"), absent from the 2020 spec.
 * - usergroups.users.list `no_such_subteam`: Slack's method reference lists it for an unknown
 *   group id (as mirrored in slack-ruby/slack-api-ref); the spec lists no method-specific errors.
 */
export const ERRORS_MISSING_FROM_SPEC: Readonly<Record<string, readonly string[]>> = {
  'chat.postEphemeral': ['not_in_channel'],
  'chat.postMessage': ['invalid_json', 'json_not_object', 'invalid_metadata_format'],
  'conversations.archive': ['not_in_channel'],
  'conversations.list': ['invalid_cursor'],
  'conversations.history': ['not_in_channel', 'invalid_cursor'],
  'conversations.open': ['cannot_dm_bot'],
  'usergroups.users.list': ['no_such_subteam'],
};

/** Every code each method can answer with: its own plus the request-level ones. */
export function webApiErrorTable(): Record<string, string[]> {
  return Object.fromEntries(Object.entries(WEB_API_METHODS).map(([name, method]) => [name, [...new Set([...REQUEST_ERRORS, ...method.errors])]]));
}
