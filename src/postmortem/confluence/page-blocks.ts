// The page as marked blocks: each section the bot writes sits between two invisible anchor macros
// (`ic:start:<id>` … `ic:end:<id>`). On a re-export, a block whose content is still what the bot
// last wrote (compared by hash) is replaced; a block edited by hand is kept as the person left it;
// everything outside the blocks (sections people added) stays where it is. Pure.

import { createHash } from 'node:crypto';

import { join, NEWLINE, text, withAttributes, type Xml } from './xml';

export interface PageBlock {
  id: string;
  xml: Xml;
}

/** Sections whose hand edits the channel hears about: the facts the bot keeps up to date. Prose blocks (summary, root cause, conclusion) are the reviewers' to rewrite. */
export const BOT_OWNED_BLOCKS: ReadonlySet<string> = new Set(['summary', 'timeline', 'escalations', 'communications', 'measures', 'metrics', 'corrections', 'footer']);

function anchor(edge: 'start' | 'end', id: string): Xml {
  return withAttributes('ac:structured-macro', { 'ac:name': 'anchor' }, withAttributes('ac:parameter', { 'ac:name': '' }, text(`ic:${edge}:${id}`)));
}

function marked(block: PageBlock): string {
  return join([anchor('start', block.id), block.xml, anchor('end', block.id)], NEWLINE);
}

/** The whole page, every block marked. */
export function markedPage(blocks: readonly PageBlock[]): string {
  return `${blocks.map(marked).join(NEWLINE)}\n`;
}

/**
 * What survives Confluence saving the page again: it adds ids to macros and elements and reflows
 * whitespace, none of which is an edit.
 */
function canonical(xml: string): string {
  return xml
    .replace(/\s(?:ac:macro-id|ac:local-id|local-id|data-[\w-]+|ac:schema-version)="[^"]*"/g, '')
    .replace(/<br\s*\/?>/g, '<br />')
    .replace(/>\s+</g, '><')
    .replace(/\s+/g, ' ')
    .trim();
}

export function blockHash(xml: string): string {
  return createHash('sha256').update(canonical(xml)).digest('hex').slice(0, 32);
}

export function blockHashes(blocks: readonly PageBlock[]): Record<string, string> {
  return Object.fromEntries(blocks.map((b) => [b.id, blockHash(b.xml)]));
}

type Segment = { kind: 'outside'; xml: string } | { kind: 'block'; id: string; inner: string; raw: string };

// As Confluence may re-serialize it: attributes added or reordered around the name.
const ANCHOR = /<ac:structured-macro\b[^>]*\bac:name="anchor"[^>]*>\s*<ac:parameter\b[^>]*>ic:(start|end):([a-z0-9-]+)<\/ac:parameter>\s*<\/ac:structured-macro>/g;

/** The page cut into marked blocks and what lies between them. A start without its end is left as it is. */
export function readBlocks(body: string): Segment[] {
  const anchors = [...body.matchAll(ANCHOR)].map((m) => ({ edge: m[1], id: m[2] ?? '', at: m.index, end: m.index + m[0].length }));
  const segments: Segment[] = [];
  let copied = 0;
  for (let i = 0; i < anchors.length; i++) {
    const start = anchors[i];
    if (!start || start.edge !== 'start') continue;
    const close = anchors.slice(i + 1).find((a) => a.edge === 'end' && a.id === start.id);
    const between = close ? anchors.slice(i + 1, anchors.indexOf(close)) : [];
    if (!close || between.some((a) => a.edge === 'start')) continue;
    if (start.at > copied) segments.push({ kind: 'outside', xml: body.slice(copied, start.at) });
    segments.push({ kind: 'block', id: start.id, inner: body.slice(start.end, close.at), raw: body.slice(start.at, close.end) });
    copied = close.end;
    i = anchors.indexOf(close);
  }
  if (copied < body.length) segments.push({ kind: 'outside', xml: body.slice(copied) });
  return segments;
}

export interface MergedPage {
  body: string;
  /** What the bot's blocks now hold, to compare with next time (a kept edit keeps the old hash). */
  hashes: Record<string, string>;
  /** Blocks edited by hand and kept, in page order. */
  keptEdits: string[];
}

/**
 * The page as it is now, with each block the bot still owns replaced by its fresh render. A block
 * people deleted stays deleted; a block that is new since the last export goes before the footer.
 */
export function mergeIntoPage(current: string, fresh: readonly PageBlock[], exported: Readonly<Record<string, string>>): MergedPage {
  const freshById = new Map(fresh.map((b) => [b.id, b]));
  const hashes: Record<string, string> = {};
  const keptEdits: string[] = [];
  const onPage = new Set<string>();
  const out: string[] = [];
  for (const segment of readBlocks(current)) {
    if (segment.kind === 'outside') {
      out.push(segment.xml);
      continue;
    }
    onPage.add(segment.id);
    const ours = exported[segment.id];
    if (ours !== undefined && blockHash(segment.inner.trim()) === ours) {
      const replacement = freshById.get(segment.id);
      if (replacement) {
        out.push(marked(replacement));
        hashes[segment.id] = blockHash(replacement.xml);
      }
      continue;
    }
    out.push(segment.raw);
    hashes[segment.id] = ours ?? '';
    keptEdits.push(segment.id);
  }
  const added = fresh.filter((b) => !onPage.has(b.id) && exported[b.id] === undefined);
  if (added.length) {
    const footerAt = out.findIndex((part) => part.includes('ic:start:footer'));
    const insert = added.map((b) => `${marked(b)}\n`);
    out.splice(footerAt < 0 ? out.length : footerAt, 0, ...insert);
    for (const b of added) hashes[b.id] = blockHash(b.xml);
  }
  return { body: out.join(''), hashes, keptEdits };
}
