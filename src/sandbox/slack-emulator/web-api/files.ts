// Upload v2 (what WebClient#filesUploadV2 does): getUploadURLExternal reserves a file and hands out
// a URL on this server; the client POSTs the bytes there (see http/upload.ts); completeUploadExternal
// shares the files, posting one message with them. Slack shares asynchronously; the emulator does it
// at once so tests need not poll. These methods are newer than the OpenAPI spec; errors follow
// Slack's current method reference.
import type { EmulatedFile } from '../types';
import type { Workspace } from '../workspace';
import { defineMethod, type ApiArgs, type ApiMethod, type Fail } from './define';
import { findChannel, requireBotInChannel } from './lookup';

export const UPLOAD_PATH_PREFIX = '/upload/v1/';

function invalidArguments(message: string): Record<string, unknown> {
  return { response_metadata: { messages: [`[ERROR] ${message}`] } };
}

const getUploadURLExternal = defineMethod(['invalid_arguments'], ({ args, ws, baseUrl }, fail) => {
  const filename = args.string('filename');
  if (!filename) return fail('invalid_arguments', invalidArguments('missing required field: filename'));
  const length = args.integer('length');
  if (length === undefined || length < 1) return fail('invalid_arguments', invalidArguments('invalid `length`'));
  const file = ws.files.reserve(filename, length, ws.botUserId);
  return { upload_url: `${baseUrl}${UPLOAD_PATH_PREFIX}${file.id}`, file_id: file.id };
});

interface Completion {
  file: EmulatedFile;
  title?: string;
}

/** The `files` argument: ids of uploaded files with optional titles. */
function uploadedFiles(ws: Workspace, args: ApiArgs, fail: Fail<'invalid_arguments' | 'file_not_found'>): Completion[] {
  const entries = args.objects('files');
  if (!entries?.length || entries.some((e) => typeof e.id !== 'string')) {
    return fail('invalid_arguments', invalidArguments('missing required field: files'));
  }
  return entries.map((entry) => {
    const file = ws.files.file(String(entry.id));
    if (!file || file.content === undefined) return fail('file_not_found');
    return { file, ...(typeof entry.title === 'string' && entry.title ? { title: entry.title } : {}) };
  });
}

function destinationChannel(args: ApiArgs, fail: Fail<'invalid_arguments'>): string | undefined {
  const channelId = args.string('channel_id') ?? args.string('channels');
  if (channelId?.includes(',')) return fail('invalid_arguments', invalidArguments('only one channel is supported'));
  return channelId;
}

const completeUploadExternal = defineMethod(['invalid_arguments', 'file_not_found', 'channel_not_found', 'not_in_channel'], ({ args, ws }, fail) => {
  const completions = uploadedFiles(ws, args, fail);
  const channelId = destinationChannel(args, fail);
  const channel = channelId === undefined ? undefined : findChannel(ws, channelId, fail);
  if (channel) requireBotInChannel(ws, channel, fail);
  for (const { file, title } of completions) {
    file.title = title ?? file.title;
    file.completed = true;
    if (channel && !file.channels.includes(channel.id)) file.channels.push(channel.id);
  }
  if (channel) shareInChannel(ws, channel.id, completions, args);
  return { files: completions.map(({ file }) => ({ id: file.id, title: file.title })) };
});

/** Slack shows shared files as one message by the uploader, with the initial comment as its text. */
function shareInChannel(ws: Workspace, channel: string, completions: Completion[], args: ApiArgs): void {
  const comment = args.string('initial_comment');
  const blocks = comment ? undefined : args.objects('blocks');
  const threadTs = args.string('thread_ts');
  ws.history.post({
    channel,
    user: ws.botUserId,
    botId: ws.identity.botId,
    text: comment ?? '',
    ...(blocks ? { blocks } : {}),
    ...(threadTs ? { threadTs } : {}),
    files: completions.map(({ file }) => file.id),
  });
}

export const filesMethods: Record<string, ApiMethod> = {
  'files.getUploadURLExternal': getUploadURLExternal,
  'files.completeUploadExternal': completeUploadExternal,
};
