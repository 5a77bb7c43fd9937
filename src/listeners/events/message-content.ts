// What a Slack message says, for the timeline: its text; for an integration's alert, whose text is
// often empty, the attachments' or blocks' text; the files shared with it as links; and who posted
// it when no person did. Everything comes out in Slack's message markup (`&lt;` for "<", links as
// `<url|label>`), the one form the bot stores user text in, so every renderer reads it alike.

import { escapePlainText } from '../../blocks/text';
import type { BotIdentity } from './event-router';

/** The parts of a message event (or of the `message` inside `message_changed`) read here. */
export interface SlackMessageParts {
  subtype?: unknown;
  text?: unknown;
  user?: unknown;
  bot_id?: unknown;
  username?: unknown;
  bot_profile?: unknown;
  attachments?: unknown;
  blocks?: unknown;
  files?: unknown;
}

type Json = Record<string, unknown>;

const record = (value: unknown): Json | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined);
const records = (value: unknown): Json[] => (Array.isArray(value) ? value.map(record).filter((r): r is Json => r !== undefined) : []);
const str = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** Slack's own link markup; the label is plain text, escaped like any other. */
function link(url: string, label: string): string {
  return url && !/[<>|\s]/.test(url) ? `<${url}|${escapePlainText(label)}>` : escapePlainText(label);
}

/** Posted by this bot: Bolt's ignoreSelf drops most of these, not the bot's messages pinned by a person. */
export function isOwnMessage(m: { user?: unknown; bot_id?: unknown }, self: BotIdentity): boolean {
  return (self.botUserId !== undefined && m.user === self.botUserId) || (self.botId !== undefined && m.bot_id === self.botId);
}

/** The message's words and its files' links, one file a line. */
export function messageText(m: SlackMessageParts): string {
  // The text as sent (it is what people saw), unless it has nothing to show.
  const words = (typeof m.text === 'string' && m.text.trim() ? m.text : '') || attachmentsText(m.attachments) || blocksText(m.blocks);
  return [words, ...filesText(m.files)].filter(Boolean).join('\n');
}

/**
 * Who posted it when no person did: an incoming webhook's or app's name as Slack shows it (the
 * `username` a webhook sets, else the app's bot profile name). Undefined for people's messages.
 */
export function integrationName(m: SlackMessageParts): string | undefined {
  if (m.bot_id === undefined && m.subtype !== 'bot_message') return undefined;
  const name = str(m.username) || str(record(m.bot_profile)?.name);
  return escapePlainText(name || 'An integration');
}

/** Each attachment's pretext, title (linked), text and fields; its fallback when it has none of them. */
function attachmentsText(value: unknown): string {
  return records(value)
    .map((a) => {
      const title = str(a.title) ? link(str(a.title_link), str(a.title)) : '';
      const fields = records(a.fields).map((f) => [str(f.title), str(f.value)].filter(Boolean).join(': '));
      const parts = [str(a.pretext), title, str(a.text), ...fields].filter(Boolean);
      return parts.length ? parts.join('\n') : str(a.fallback);
    })
    .filter(Boolean)
    .join('\n');
}

/** A Block Kit text object: mrkdwn is markup already, plain_text is not. */
function textObject(value: unknown): string {
  const t = record(value);
  if (!t) return '';
  return t.type === 'mrkdwn' ? str(t.text) : escapePlainText(str(t.text));
}

function blocksText(value: unknown): string {
  return records(value)
    .map((block) => {
      switch (block.type) {
        case 'header':
        case 'section':
          return [textObject(block.text), ...records(block.fields).map(textObject)].filter(Boolean).join('\n');
        case 'context':
          return records(block.elements).map(textObject).filter(Boolean).join(' ');
        case 'rich_text':
          return richText(block.elements);
        default:
          return '';
      }
    })
    .filter(Boolean)
    .join('\n');
}

/** Rich text holds text as typed and its mentions and links as elements: rebuilt as markup, a line per section. */
function richText(value: unknown): string {
  return records(value)
    .map((element) =>
      element.type === 'rich_text_list'
        ? records(element.elements)
            .map((item) => `• ${richInline(item.elements)}`)
            .join('\n')
        : richInline(element.elements),
    )
    .filter(Boolean)
    .join('\n');
}

function richInline(value: unknown): string {
  return records(value)
    .map((element) => {
      switch (element.type) {
        case 'text':
          return typeof element.text === 'string' ? escapePlainText(element.text) : '';
        case 'link':
          return link(str(element.url), str(element.text) || str(element.url));
        case 'user':
          return str(element.user_id) ? `<@${str(element.user_id)}>` : '';
        case 'channel':
          return str(element.channel_id) ? `<#${str(element.channel_id)}>` : '';
        case 'usergroup':
          return str(element.usergroup_id) ? `<!subteam^${str(element.usergroup_id)}>` : '';
        case 'broadcast':
          return str(element.range) ? `<!${str(element.range)}>` : '';
        case 'emoji':
          return str(element.name) ? `:${str(element.name)}:` : '';
        default:
          return '';
      }
    })
    .join('')
    .trim();
}

/**
 * "File: <permalink|title>" for each file. A file the bot may not read in full (Slack sends only its
 * id then, with `file_access: "check_file_info"`) or one deleted since (`mode: "tombstone"`) is still
 * named, so the timeline never shows a shared file as nothing.
 */
function filesText(value: unknown): string[] {
  return records(value).map((file) => {
    if (file.mode === 'tombstone') return 'File: (deleted)';
    const label = str(file.title) || str(file.name) || (str(file.id) ? `file ${str(file.id)}` : 'a file');
    return `File: ${link(str(file.permalink) || str(file.url_private), label)}`;
  });
}
