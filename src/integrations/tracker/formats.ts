// A ticket's plain texts in each tracker's format, so that whatever a responder typed shows
// literally: Atlassian Document Format (Jira Cloud; only text nodes, never parsed), wiki markup
// (Jira Data Center; every markup character escaped), GitHub Markdown (punctuation escaped, so no
// @mention pings, #123 links, HTML or images). Pure.

import { BIDI_CONTROL_RANGES } from '../../shared/bidi-controls';
import type { DescriptionBlock } from '../../ports/issue-tracker';

// C0/C1 controls other than newline and tab, and open bidi embeddings that would reorder what follows.
const UNSAFE = new RegExp(`[\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F${BIDI_CONTROL_RANGES}]`, 'g');

export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(UNSAFE, '');
}

/** One line (trackers refuse newlines in a summary), at most `max` characters. */
export function singleLine(text: string, max: number): string {
  const flat = cleanText(text).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/** Percent-encoded once, whether or not it came encoded. */
function encodedUrl(url: string): string {
  try {
    return encodeURI(decodeURI(url));
  } catch {
    return encodeURI(url);
  }
}

type AdfInline = { type: 'text'; text: string; marks?: { type: 'link'; attrs: { href: string } }[] } | { type: 'hardBreak' };

/** Atlassian Document Format: a paragraph per block, hard breaks for newlines, links as link marks. */
export function toAdf(blocks: readonly DescriptionBlock[]): { type: 'doc'; version: 1; content: { type: 'paragraph'; content: AdfInline[] }[] } {
  const content = blocks.flatMap((block) => {
    const inline: AdfInline[] =
      'url' in block && isWebUrl(block.url)
        ? [{ type: 'text', text: cleanText(block.label).replace(/\s+/g, ' ').trim() || block.url, marks: [{ type: 'link', attrs: { href: block.url } }] }]
        : cleanText('url' in block ? `${block.label} ${block.url}` : block.text)
            .split('\n')
            .flatMap((line, i): AdfInline[] => [...(i > 0 ? [{ type: 'hardBreak' } as const] : []), ...(line ? [{ type: 'text', text: line } as const] : [])]);
    // ADF refuses empty text nodes; an empty paragraph is dropped.
    return inline.some((node) => node.type === 'text') ? [{ type: 'paragraph' as const, content: inline }] : [];
  });
  return { type: 'doc', version: 1, content };
}

// Jira's wiki renderer lets `\` escape only - # * _ + ? ^ ~ | % { } [ ] ( ) ! @; before any other
// character it shows as typed. `&` counts when it would start a character entity (`&lt;`).
const WIKI_SPECIAL = /\\|&(?=(?:[A-Za-z][A-Za-z0-9]*|#\d+|#x[0-9A-Fa-f]+);)|[-#*_+?^~|%{}[\]()!@]/g;

/**
 * Text that Jira Data Center shows exactly as typed. A typed backslash becomes an entity (`\\` is
 * a forced line break, and `\*` would escape the star), as do the dot of a line-start `h1.`/`bq.`
 * (a dot cannot be escaped) and the ampersand of anything that reads as an entity.
 */
export function escapeWikiMarkup(text: string): string {
  return (
    cleanText(text)
      .replace(WIKI_SPECIAL, (c) => (c === '\\' ? '&#92;' : c === '&' ? '&amp;' : `\\${c}`))
      // The emoticons :P and :D have no escapable character; a backslash before them shows them.
      .replace(/:(?=[PpDd](?![\p{L}\p{Nd}]))/gu, '\\:')
      .replace(/^(\s*)(h[1-6]|bq)\./gim, '$1$2&#46;')
  );
}

/** Wiki markup (Jira Data Center): escaped paragraphs, links as [label|url] with the URL encoded. */
export function toWikiMarkup(blocks: readonly DescriptionBlock[]): string {
  return blocks
    .map((block) => {
      if (!('url' in block)) return escapeWikiMarkup(block.text);
      if (!isWebUrl(block.url)) return escapeWikiMarkup(`${block.label} ${block.url}`);
      return `[${escapeWikiMarkup(block.label.replace(/\s+/g, ' '))}|${encodedUrl(block.url).replace(/[|\]\\]/g, encodeURIComponent)}]`;
    })
    .filter((paragraph) => paragraph.trim() !== '')
    .join('\n\n');
}

const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+\-.!|~>@:]/g;

export function escapeMarkdown(text: string): string {
  return (
    cleanText(text)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(MARKDOWN_SPECIAL, (c) => `\\${c}`)
      // A newline in a paragraph is a space in Markdown: keep the responder's line breaks.
      .replace(/\n/g, '  \n')
  );
}

/** GitHub Markdown: escaped paragraphs, links as [label](<url>). */
export function toGitHubMarkdown(blocks: readonly DescriptionBlock[]): string {
  return blocks
    .map((block) => {
      if (!('url' in block)) return escapeMarkdown(block.text);
      if (!isWebUrl(block.url)) return escapeMarkdown(`${block.label} ${block.url}`);
      return `[${escapeMarkdown(block.label.replace(/\s+/g, ' '))}](<${encodedUrl(block.url).replace(/[<>]/g, encodeURIComponent)}>)`;
    })
    .filter((paragraph) => paragraph.trim() !== '')
    .join('\n\n');
}
