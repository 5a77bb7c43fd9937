// PostmortemModel → Markdown (CommonMark + GFM). Layout and escaping only: every decision about
// content was made by the compiler. User text is escaped so it can never change the structure.

import type {
  ActionItem,
  CommunicationRow,
  CorrectionRow,
  CommunicationsSection,
  EscalationRow,
  EscalationsSection,
  MetricRow,
  PagedLevel,
  Placeholder,
  PostmortemModel,
  Text,
  TimelineRow,
  UpdateGapsRow,
} from './model';
import { isPlaceholder } from './model';

export function renderMarkdown(model: PostmortemModel): string {
  const sections = [
    header(model),
    section('Issue Summary', issueSummary(model)),
    section('Timeline', listOr(model.timeline, timelineBullet)),
    section('Escalations', escalations(model.escalations)),
    section('Communications', communications(model.communications)),
    section('Root Cause and Resolution', `${paragraphs(model.rootCause.full)}\n\n${paragraphs(model.resolution)}`),
    section('Corrective and Preventative Measures', isPlaceholder(model.actionItems) ? placeholder(model.actionItems) : measures(model.actionItems)),
    section('Key Metrics', [...model.metrics.map(metricBullet), updateGapsBullet(model.updateGaps)].join('\n')),
    section('Conclusion', paragraphs(model.conclusion)),
    ...(model.corrections.length ? [section('Corrections to the Record', model.corrections.map(correctionBullet).join('\n'))] : []),
  ];
  return `${sections.join('\n\n')}\n`;
}

function header(model: PostmortemModel): string {
  return `# ${inline(model.title)}\n\n${inline(`${model.key} · ${model.severity} · ${model.status}`)}`;
}

function section(heading: string, body: string): string {
  return `## ${heading}\n\n${body}`;
}

function issueSummary(model: PostmortemModel): string {
  const { window } = model;
  const zone = inline(window.zone);
  const start = inline(window.start);
  const opening = isPlaceholder(window.end)
    ? `${inline(model.title)}: from ${start} ${zone}, ${placeholder(window.end)}`
    : `${inline(model.title)}: from ${start} to ${inline(window.end)} ${zone}, ${fact(window.duration)}.`;
  const duration = isPlaceholder(window.end) ? `${start} ${zone} – ${fact(window.duration)}` : `${start} – ${inline(window.end)} ${zone}, ${fact(window.duration)}`;
  const facts = [
    `Duration: ${duration}${window.endNote ? ` _(${inline(window.endNote)})_` : ''}`,
    `Severity: ${inline(model.severity)}`,
    `Commander: ${inline(model.commander.name)}`,
    ...model.roles.map((r) => `${inline(r.label)}: ${inline(r.person.name)}`),
    `Impact: ${fact(model.impact)}`,
    `Root cause: ${fact(model.rootCause.summary)}`,
  ];
  return `${opening}\n\n${facts.map((f) => `- ${f}`).join('\n')}`;
}

function correctionBullet(row: CorrectionRow): string {
  const change = row.after === undefined ? `was: ${inBullet(row.before)}` : `was: ${inBullet(row.before)}; now: ${inBullet(row.after)}`;
  return `- ${inline(row.time)}: ${inline(`${row.by} ${row.what}`)} (${change})`;
}

/** A URL inside `<…>`: nothing in it can close the link or start a new line. */
function linkTarget(url: string): string {
  return url.replace(/[<>\s]/g, encodeURIComponent);
}

function timelineBullet(row: TimelineRow): string {
  const author = row.author ? ` — ${inline(row.author)}` : '';
  const source = row.source ? ` ([${inline(row.source.label)}](<${linkTarget(row.source.url)}>))` : '';
  return `- ${inline(row.time)}: ${inBullet(row.text)}${author}${source} _(${inline(row.kindLabel)})_`;
}

const MEASURE_COLUMNS = ['Action', 'Owner', 'Ticket', 'Status'];

function measures(items: readonly ActionItem[]): string {
  return table(MEASURE_COLUMNS, items.map(measureCells));
}

function measureCells(item: ActionItem): string[] {
  const ticket = item.ticket ? `[${inline(item.ticket.key)}](<${linkTarget(item.ticket.url)}>)` : '—';
  return [cell(item.text), item.owner ? `@${inline(item.owner)}` : '_unassigned_', ticket, inline(item.ticket?.state ?? 'open')];
}

function metricBullet(row: MetricRow): string {
  const { value } = row;
  const body = isPlaceholder(value) ? placeholder(value) : `${inline(value.duration)} — from declaration to ${inline(value.basis)} at ${inline(value.at)}`;
  return `- ${inline(row.label)}: ${body}`;
}

function updateGapsBullet(row: UpdateGapsRow): string {
  const { value } = row;
  const body =
    value.kind === 'none'
      ? `_${inline(value.text)}_`
      : `${inline(value.average)} on average, longest ${inline(value.longest)} (until ${inline(value.longestEndedAt)}) — ${inline(value.basis)}`;
  return `- ${inline(row.label)}: ${body}`;
}

function communications(value: CommunicationsSection): string {
  return value.kind === 'none' ? paragraphs(value.text) : listOr(value.rows, communicationBullet);
}

/** One bullet per update; what we are doing and need follow on hard-broken lines of the same item. */
function communicationBullet(row: CommunicationRow): string {
  const parts = [
    `${inline(row.time)} — ${inline(row.author)} _(${inline(row.status)})_: ${inBullet(row.known)}`,
    ...(row.doing ? [`Doing: ${inBullet(row.doing)}`] : []),
    ...(row.need ? [`Need: ${inBullet(row.need)}`] : []),
    ...(row.nextBy ? [`Next update by ${inline(row.nextBy)}`] : []),
  ];
  return `- ${parts.join('\\\n  ')}`;
}

const ESCALATION_COLUMNS = ['Paged', 'Target', 'Who was paged', 'Outcome', 'Time to acknowledge'];

function escalations(value: EscalationsSection): string {
  if (value.kind === 'none') return paragraphs(value.text);
  return table(ESCALATION_COLUMNS, value.rows.map(escalationCells));
}

/** A GFM table; the cells come escaped. */
function table(columns: readonly string[], rows: readonly string[][]): string {
  return [columns, columns.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function escalationCells(row: EscalationRow): string[] {
  const target = `${row.target} (${row.trigger.label})${row.reason ? `: ${row.reason}` : ''}`;
  // A policy's levels are told apart by number; a person or a group has one level: just the names.
  const paged =
    row.targetKind === 'policy' ? row.levels.map((level) => `Level ${level.level} at ${level.pagedAt}: ${pagedLevel(level)}`).join('; ') : row.levels.map(pagedLevel).join('; ');
  return [row.pagedAt, target, paged, row.outcome.label, row.timeToAcknowledge?.duration ?? '—'].map(cell);
}

function pagedLevel(level: PagedLevel): string {
  const names = level.recipients.map((r) => (r.notNotified ? `${r.name} (not notified: ${r.notNotified})` : r.name));
  return `${names.join(', ') || 'nobody'}${level.timedOutAt ? ` — timed out at ${level.timedOutAt}` : ''}`;
}

function listOr<T>(items: readonly T[] | Placeholder, bullet: (item: T) => string): string {
  if (isPlaceholder(items)) return placeholder(items);
  // Concatenated, not joined: V8 keeps it a rope, and the document's join copies it once.
  let list = items.length ? bullet(items[0]) : '';
  for (let i = 1; i < items.length; i++) list += `\n${bullet(items[i])}`;
  return list;
}

const PLACEHOLDER_PREFIX: Record<Placeholder['reason'], string> = {
  'to-complete': 'To be completed',
  'not-captured': 'Not captured',
  ongoing: 'Ongoing',
};

/** "_To be completed: describe the customer impact (/incident impact …)._" */
function placeholder(p: Placeholder): string {
  const stop = p.reason === 'to-complete' ? '.' : '';
  return `_${PLACEHOLDER_PREFIX[p.reason]}: ${inline(p.hint)}${stop}_`;
}

/** A fact inside a bullet, or its placeholder. */
function fact(value: Text): string {
  return isPlaceholder(value) ? placeholder(value) : inBullet(value);
}

// --- Escaping -----------------------------------------------------------------------------------

// Significant anywhere: code spans, emphasis, links, HTML/autolinks, tables, strikethrough, headings'
// closing sequences, and the backslash itself (or a user's "\*" would unescape our escape).
// Also entity references ("&copy;", "&#60;"), which would be decoded; a lone "&" is left readable.
// Both are escaped in one pass, so an entity's "&" is escaped exactly when it still reads as an
// entity once the other characters are: "&#60;" and "&a_b;" are already broken by "\#" and "\_".
const ANYWHERE = /[\\`*_[\]<|~#]|&(?=[A-Za-z0-9]+;)/g;
// Significant at the start of a line: block quotes, list items, setext underlines, ordered lists.
// None of these characters is escaped by ANYWHERE, so this reads the same before or after it.
const LINE_START = /^([>+=-])|^(\d{1,9})([.)])/;
// Whether ANYWHERE may match: one of its characters, or any "&". Most text has none, and a test
// against one character class is cheap and copies nothing.
const MAYBE_ANYWHERE = /[\\`*_[\]<|~#&]/;
const LINE_BREAK = /\r\n|\r|\n/;
const HAS_LINE_BREAK = /[\r\n]/;

// Whether `inline` or `inBullet` may have more to do than trim and look at the first character: a
// line break, or what MAYBE_ANYWHERE matches. Most text has neither.
const MAYBE_WORK = /[\r\n\\`*_[\]<|~#&]/;

/** One line of plain text, escaped; newlines become spaces. */
function inline(plain: string): string {
  if (!MAYBE_WORK.test(plain)) return escapeLineStart(plain.trim());
  return escapeLine(HAS_LINE_BREAK.test(plain) ? lines(plain).join(' ') : plain.trim());
}

/** Trimmed (so none becomes an indented code block), non-blank lines. */
function lines(plain: string): string[] {
  return plain
    .split(LINE_BREAK)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function escapeLine(line: string): string {
  return escapeLineStart(MAYBE_ANYWHERE.test(line) ? line.replace(ANYWHERE, '\\$&') : line);
}

/** LINE_START's escape, only where it matches ("1:15 PM", like every time, starts with a digit). */
function escapeLineStart(line: string): string {
  if (!startsLikeBlock(line)) return line;
  return line.replace(LINE_START, (_m, marker: string | undefined, digits: string, dot: string) => (marker ? `\\${marker}` : `${digits}\\${dot}`));
}

/** Whether LINE_START matches, without running it: ">", "+", "=", "-", or 1–9 digits and "." or ")". */
function startsLikeBlock(line: string): boolean {
  const first = line.charCodeAt(0);
  if (first === 0x3e || first === 0x2b || first === 0x3d || first === 0x2d) return true;
  let digits = 0;
  while (digits < 9 && isDigit(line.charCodeAt(digits))) digits++;
  const next = line.charCodeAt(digits);
  return digits > 0 && (next === 0x2e || next === 0x29);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** A table cell: one line, "|" escaped by `inline`, never empty (an empty cell reads as a gap). */
function cell(plain: string): string {
  return inline(plain) || '—';
}

/** Multi-line text kept inside one bullet: hard line breaks, continuation indented under the item. */
function inBullet(plain: string): string {
  if (!MAYBE_WORK.test(plain)) return escapeLineStart(plain.trim());
  return HAS_LINE_BREAK.test(plain) ? lines(plain).map(escapeLine).join('\\\n  ') : escapeLine(plain.trim());
}

/** Prose: blank lines separate paragraphs; single newlines are hard line breaks. */
function paragraphs(value: Text): string {
  if (isPlaceholder(value)) return placeholder(value);
  return value
    .replace(/\r\n?/g, '\n')
    .split(/\n[^\S\n]*\n/)
    .map((para) => lines(para).map(escapeLine).join('\\\n'))
    .filter((para) => para !== '')
    .join('\n\n');
}
