// What the bot says, as data: text with the people, channels, pages and links in it as references,
// so a use case says what it means and the chat adapter writes it in its platform's syntax (Slack:
// blocks/said.ts). Between references is the bot's light markup (*bold*, _italic_, `code`,
// :emoji:) and user text in its stored form. Pure.

import type { EscalationTarget } from './escalation';

export type Reference = { user: string } | { channel: string } | { paged: EscalationTarget } | { link: string; label: string };

export type Said = readonly (string | Reference)[];

/** A plain string (it names nobody) or `Said`. */
export type Text = string | Said;

type Part = string | number | Reference | Said;

export function isSaid(value: unknown): value is Said {
  return Array.isArray(value);
}

/** `said\`${user(id)} is now commander\``: the template's text and values, references kept as they are. */
export function said(strings: TemplateStringsArray, ...values: readonly Part[]): Said {
  return concat(strings.flatMap((text, i) => (i < values.length ? [text, values[i]] : [text])));
}

/** The parts one after another, `separator` between them. */
export function joined(parts: readonly Text[], separator: string): Said {
  return concat(parts.flatMap((part, i) => (i > 0 ? [separator, part] : [part])));
}

/** Adjacent strings merged, nested `Said` flattened, empty strings dropped. */
function concat(parts: readonly Part[]): Said {
  const out: (string | Reference)[] = [];
  const push = (part: string | Reference) => {
    if (typeof part !== 'string') out.push(part);
    else if (part && typeof out.at(-1) === 'string') out[out.length - 1] += part;
    else if (part) out.push(part);
  };
  for (const part of parts) {
    if (typeof part === 'number') push(String(part));
    else if (isSaid(part)) part.forEach(push);
    else push(part);
  }
  return out;
}

export const user = (id: string): Reference => ({ user: id });
export const channel = (id: string): Reference => ({ channel: id });
export const paged = (target: EscalationTarget): Reference => ({ paged: target });
export const link = (url: string, label: string): Reference => ({ link: url, label });

/** Ids in place of references: for log lines and error messages, which name no one in any chat's syntax. */
export function plainText(text: Text): string {
  if (!isSaid(text)) return text;
  return text
    .map((part) => {
      if (typeof part === 'string') return part;
      if ('user' in part) return `@${part.user}`;
      if ('channel' in part) return `#${part.channel}`;
      if ('link' in part) return `${part.label} (${part.link})`;
      return part.paged.kind === 'policy' ? `policy ${part.paged.name}` : `@${part.paged.kind === 'usergroup' ? (part.paged.handle ?? part.paged.id) : part.paged.id}`;
    })
    .join('');
}
