// Atlassian Document Format, the subset the bot may send, checked as strictly as Jira Cloud's
// schema does: a known node type at each place, only the keys the schema names, non-empty text,
// known marks. Anything outside the subset is refused rather than guessed at, so a test cannot
// pass with a document Jira would turn down. Problems name the path, e.g. doc.content[0].content[1].
import { isRecord } from './server';

type Inline = 'text' | 'hardBreak';
type Block = 'paragraph' | 'heading' | 'bulletList' | 'orderedList' | 'codeBlock' | 'blockquote' | 'rule';

const TOP_BLOCKS: readonly string[] = ['paragraph', 'heading', 'bulletList', 'orderedList', 'codeBlock', 'blockquote', 'rule'] satisfies Block[];
// ADF puts a paragraph or code block first in a list item; nested lists may follow.
const LIST_ITEM_FIRST: readonly string[] = ['paragraph', 'codeBlock'];
const LIST_ITEM_BLOCKS: readonly string[] = ['paragraph', 'codeBlock', 'bulletList', 'orderedList'];
const QUOTE_BLOCKS: readonly string[] = ['paragraph', 'bulletList', 'orderedList', 'codeBlock'];
const INLINE: readonly string[] = ['text', 'hardBreak'] satisfies Inline[];
const KNOWN_NODES = new Set([...TOP_BLOCKS, 'listItem', ...INLINE]);
const PLAIN_MARKS = new Set(['strong', 'em', 'code', 'strike', 'underline']);

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function unknownKey(node: Record<string, unknown>, path: string, allowed: readonly string[]): string | undefined {
  const extra = Object.keys(node).find((key) => !allowed.includes(key));
  return extra === undefined ? undefined : `${path}: unknown key "${extra}"`;
}

function firstProblem(items: readonly unknown[], check: (item: unknown, index: number) => string | undefined): string | undefined {
  for (let i = 0; i < items.length; i++) {
    const problem = check(items[i], i);
    if (problem) return problem;
  }
  return undefined;
}

/** The node's type when it is an object with a known type allowed here. */
function nodeType(node: unknown, path: string, allowed: readonly string[], parent: string): { type: string } | { problem: string } {
  if (!isRecord(node)) return { problem: `${path}: a node must be an object, got ${describe(node)}` };
  const { type } = node;
  if (typeof type !== 'string') return { problem: `${path}: a node needs a string "type"` };
  if (!KNOWN_NODES.has(type)) return { problem: `${path}: unknown node type "${type}"` };
  if (!allowed.includes(type)) return { problem: `${path}: a ${type} node cannot appear inside ${parent}` };
  return { type };
}

function children(node: Record<string, unknown>, path: string, allowed: readonly string[], required: boolean): string | undefined {
  const { content } = node;
  if (content === undefined) return required ? `${path}: a ${String(node.type)} node needs "content"` : undefined;
  if (!Array.isArray(content)) return `${path}.content: must be an array`;
  if (required && content.length === 0) return `${path}.content: a ${String(node.type)} node needs at least one child`;
  return firstProblem(content, (child, i) => checkNode(child, `${path}.content[${i}]`, allowed, String(node.type)));
}

function linkProblem(attrs: unknown, path: string): string | undefined {
  if (!isRecord(attrs)) return `${path}.attrs: a link mark needs attrs { href }`;
  const extra = unknownKey(attrs, `${path}.attrs`, ['href', 'title']);
  if (extra) return extra;
  if (attrs.title !== undefined && typeof attrs.title !== 'string') return `${path}.attrs.title: must be a string`;
  const { href } = attrs;
  if (typeof href !== 'string') return `${path}.attrs.href: must be a string`;
  let protocol: string;
  try {
    protocol = new URL(href).protocol;
  } catch {
    return `${path}.attrs.href: not an absolute URL: ${describe(href)}`;
  }
  return ['http:', 'https:', 'mailto:'].includes(protocol) ? undefined : `${path}.attrs.href: only http(s) and mailto links are allowed, got ${protocol}`;
}

function markProblem(mark: unknown, path: string): string | undefined {
  if (!isRecord(mark) || typeof mark.type !== 'string') return `${path}: a mark must be an object with a string "type"`;
  if (mark.type === 'link') return unknownKey(mark, path, ['type', 'attrs']) ?? linkProblem(mark.attrs, path);
  if (!PLAIN_MARKS.has(mark.type)) return `${path}: unknown mark type "${mark.type}"`;
  return unknownKey(mark, path, ['type']);
}

function marksProblem(marks: unknown, path: string): string | undefined {
  if (!Array.isArray(marks)) return `${path}: must be an array`;
  const each = firstProblem(marks, (mark, i) => markProblem(mark, `${path}[${i}]`));
  if (each) return each;
  const types = marks.map((m) => (m as { type: string }).type);
  const repeated = types.find((t, i) => types.indexOf(t) !== i);
  if (repeated) return `${path}: the ${repeated} mark appears twice`;
  // ADF: inline code combines with a link only.
  if (types.includes('code') && types.some((t) => t !== 'code' && t !== 'link')) return `${path}: the code mark can only be combined with link`;
  return undefined;
}

function textProblem(node: Record<string, unknown>, path: string, marksAllowed: boolean): string | undefined {
  const extra = unknownKey(node, path, marksAllowed ? ['type', 'text', 'marks'] : ['type', 'text']);
  if (extra) return marksAllowed || node.marks === undefined ? extra : `${path}: text in a codeBlock cannot have marks`;
  if (typeof node.text !== 'string') return `${path}.text: must be a string`;
  if (node.text === '') return `${path}.text: must not be empty`;
  return node.marks === undefined ? undefined : marksProblem(node.marks, `${path}.marks`);
}

function headingProblem(node: Record<string, unknown>, path: string): string | undefined {
  const extra = unknownKey(node, path, ['type', 'attrs', 'content']);
  if (extra) return extra;
  const { attrs } = node;
  if (!isRecord(attrs)) return `${path}.attrs: a heading needs attrs { level }`;
  const attrsExtra = unknownKey(attrs, `${path}.attrs`, ['level']);
  if (attrsExtra) return attrsExtra;
  const { level } = attrs;
  if (typeof level !== 'number' || !Number.isInteger(level) || level < 1 || level > 6) return `${path}.attrs.level: must be an integer from 1 to 6, got ${describe(level)}`;
  return children(node, path, INLINE, false);
}

function optionalAttrs(node: Record<string, unknown>, path: string, check: (attrs: Record<string, unknown>, at: string) => string | undefined): string | undefined {
  if (node.attrs === undefined) return undefined;
  return isRecord(node.attrs) ? check(node.attrs, `${path}.attrs`) : `${path}.attrs: must be an object`;
}

function listItemProblem(node: Record<string, unknown>, path: string): string | undefined {
  const problem = unknownKey(node, path, ['type', 'content']) ?? children(node, path, LIST_ITEM_BLOCKS, true);
  if (problem) return problem;
  const first = (node.content as { type: string }[])[0];
  return LIST_ITEM_FIRST.includes(first.type) ? undefined : `${path}.content[0]: a list item must start with a paragraph or codeBlock, not ${first.type}`;
}

function blockProblem(type: string, node: Record<string, unknown>, path: string): string | undefined {
  switch (type) {
    case 'paragraph':
      return unknownKey(node, path, ['type', 'content']) ?? children(node, path, INLINE, false);
    case 'heading':
      return headingProblem(node, path);
    case 'bulletList':
      return unknownKey(node, path, ['type', 'content']) ?? children(node, path, ['listItem'], true);
    case 'orderedList':
      return (
        unknownKey(node, path, ['type', 'attrs', 'content']) ??
        optionalAttrs(
          node,
          path,
          (attrs, at) =>
            unknownKey(attrs, at, ['order']) ??
            (attrs.order === undefined || (Number.isInteger(attrs.order) && (attrs.order as number) >= 0) ? undefined : `${at}.order: must be a non-negative integer`),
        ) ??
        children(node, path, ['listItem'], true)
      );
    case 'listItem':
      return listItemProblem(node, path);
    case 'codeBlock':
      return (
        unknownKey(node, path, ['type', 'attrs', 'content']) ??
        optionalAttrs(
          node,
          path,
          (attrs, at) =>
            unknownKey(attrs, at, ['language']) ?? (attrs.language === undefined || typeof attrs.language === 'string' ? undefined : `${at}.language: must be a string`),
        ) ??
        children(node, path, ['text'], false)
      );
    case 'blockquote':
      return unknownKey(node, path, ['type', 'content']) ?? children(node, path, QUOTE_BLOCKS, true);
    case 'rule':
      return unknownKey(node, path, ['type']);
    default:
      return `${path}: unknown node type "${type}"`;
  }
}

function checkNode(node: unknown, path: string, allowed: readonly string[], parent: string): string | undefined {
  const found = nodeType(node, path, allowed, parent);
  if ('problem' in found) return found.problem;
  const record = node as Record<string, unknown>;
  if (found.type === 'text') return textProblem(record, path, parent !== 'codeBlock');
  if (found.type === 'hardBreak') {
    return (
      unknownKey(record, path, ['type', 'attrs']) ??
      optionalAttrs(record, path, (attrs, at) => unknownKey(attrs, at, ['text']) ?? (attrs.text === undefined || attrs.text === '\n' ? undefined : `${at}.text: must be "\\n"`))
    );
  }
  return blockProblem(found.type, record, path);
}

/** Why Jira Cloud would refuse this as an ADF document, or undefined when it is valid. */
export function adfProblem(doc: unknown): string | undefined {
  if (!isRecord(doc)) return `doc: must be an object { type: "doc", version: 1, content: [...] }, got ${describe(doc)}`;
  const extra = unknownKey(doc, 'doc', ['type', 'version', 'content']);
  if (extra) return extra;
  if (doc.type !== 'doc') return `doc.type: must be "doc", got ${describe(doc.type)}`;
  if (doc.version !== 1) return `doc.version: must be 1, got ${describe(doc.version)}`;
  if (!Array.isArray(doc.content)) return 'doc.content: must be an array';
  return firstProblem(doc.content, (block, i) => checkNode(block, `doc.content[${i}]`, TOP_BLOCKS, 'doc'));
}
