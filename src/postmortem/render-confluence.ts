// PostmortemModel → Confluence storage format (the XHTML-based XML Confluence stores pages in).
// Layout and escaping only, from the same model as the Markdown: every decision about content was
// made by the compiler. All text goes through the escaping builder in ./confluence/xml, so the
// output is well-formed XML and nothing a user typed can become a tag, a macro or an entity.

import { blockPlaceholder, inlinePlaceholder, severityLozenge, taskList } from './confluence/macros';
import { markedPage, type PageBlock } from './confluence/page-blocks';
import { el, join, lines, NEWLINE, paragraphs, tableRow, text, trimmed, withAttributes, type Xml } from './confluence/xml';
import { capitalize } from './context';
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

export interface ConfluenceRenderOptions {
  /** Plain text for the last, small paragraph, e.g. "Exported by Incident Commander · incident …". */
  footer: string;
}

/** The page body; Confluence takes the title separately. Each section is a marked block (./confluence/page-blocks). */
export function renderConfluenceStorage(model: PostmortemModel, options: ConfluenceRenderOptions): string {
  return markedPage(renderConfluenceBlocks(model, options));
}

/** The page's sections in order, each the block a re-export may replace. */
export function renderConfluenceBlocks(model: PostmortemModel, options: ConfluenceRenderOptions): PageBlock[] {
  const block = (id: string, xml: Xml): PageBlock => ({ id, xml });
  return [
    block('summary', summaryTable(model)),
    block('issue-summary', section('Issue Summary', issueSummary(model))),
    block('timeline', section('Timeline', listOr(model.timeline, timelineTable))),
    block('escalations', section('Escalations', escalations(model.escalations))),
    block('communications', section('Communications', communications(model.communications))),
    block('root-cause', section('Root Cause and Resolution', join([prose(model.rootCause.full), prose(model.resolution)], NEWLINE))),
    block('measures', section('Corrective and Preventative Measures', listOr(model.actionItems, actionItems))),
    block('metrics', section('Key Metrics', metricsTable(model.metrics, model.updateGaps))),
    block('conclusion', section('Conclusion', prose(model.conclusion))),
    ...(model.corrections.length ? [block('corrections', section('Corrections to the Record', correctionList(model.corrections)))] : []),
    block('footer', join([el('hr'), el('p', el('small', lines(options.footer)))], NEWLINE)),
  ];
}

function section(heading: string, body: Xml): Xml {
  return join([el('h2', text(heading)), body], NEWLINE);
}

// --- Summary ------------------------------------------------------------------------------------

function summaryTable(model: PostmortemModel): Xml {
  const { window } = model;
  const end = window.endNote ? join([fact(window.end), el('br'), el('em', text(`(${window.endNote})`))]) : fact(window.end);
  const rows: [string, Xml][] = [
    ['Incident', cell(`${model.key} · ${model.title}`)],
    ['Severity', severityLozenge(model.severity)],
    ['Status', text(capitalize(model.status))],
    ['Start', cell(window.start)],
    ['End', end],
    ['Duration', fact(window.duration)],
    ['Commander', cell(model.commander.name)],
    ...model.roles.map((r): [string, Xml] => [r.label || r.role, cell(r.person.name)]),
    ['Time zone', cell(`${model.timeZone.id} ${window.zone}`)],
  ];
  return table(rows.map(([label, value]) => el('tr', el('th', cell(label)), el('td', value))));
}

function issueSummary(model: PostmortemModel): Xml {
  const { window } = model;
  const title = trimmed(model.title);
  const opening = isPlaceholder(window.end)
    ? join([title, text(`: from ${window.start} ${window.zone}, `), inlinePlaceholder(window.end)])
    : join([title, text(`: from ${window.start} to ${window.end} ${window.zone}, `), fact(window.duration), text('.')]);
  const facts = [join([el('strong', text('Impact:')), text(' '), fact(model.impact)]), join([el('strong', text('Root cause:')), text(' '), fact(model.rootCause.summary)])];
  return join([el('p', opening), el('ul', ...facts.map((f) => el('li', f)))], NEWLINE);
}

// --- Timeline, escalations, action items, metrics -----------------------------------------------

function timelineTable(rows: readonly TimelineRow[]): Xml {
  const what = (row: TimelineRow) =>
    row.source ? join([multiline(row.text), text(' ('), withAttributes('a', { href: row.source.url }, text(row.source.label)), text(')')]) : multiline(row.text);
  const body = rows.map((row) => tableRow([cell(row.time), cell(row.author ?? ''), what(row), cell(row.kindLabel)]));
  return table([headerRow(['Time', 'Who', 'What', 'Kind']), ...body]);
}

function escalations(value: EscalationsSection): Xml {
  if (value.kind === 'none') return paragraphs(value.text);
  const body = value.rows.map((row) => tableRow(escalationCells(row)));
  return table([headerRow(['Paged', 'Target', 'Who was paged', 'Outcome', 'Time to acknowledge']), ...body]);
}

function escalationCells(row: EscalationRow): Xml[] {
  const target = join([cell(row.target), el('br'), el('em', text(`(${row.trigger.label})`)), ...(row.reason ? [el('br'), text('Reason: '), lines(row.reason)] : [])]);
  // A policy's levels are told apart by number; a person or a group has one level: just the names.
  const paged = row.levels.map((level) => (row.targetKind === 'policy' ? text(`Level ${level.level} at ${level.pagedAt}: ${pagedLevel(level)}`) : cell(pagedLevel(level))));
  return [cell(row.pagedAt), target, join(paged, el('br')), cell(row.outcome.label), cell(row.timeToAcknowledge?.duration ?? '')];
}

function pagedLevel(level: PagedLevel): string {
  const names = level.recipients.map((r) => (r.notNotified ? `${r.name} (not notified: ${r.notNotified})` : r.name));
  return `${names.join(', ') || 'nobody'}${level.timedOutAt ? ` — timed out at ${level.timedOutAt}` : ''}`;
}

/** A table of the measures; each action is a one-task list, ticked once its ticket is settled. */
function actionItems(items: readonly ActionItem[]): Xml {
  const rows = items.map((item, i) =>
    tableRow([
      taskList([{ body: multiline(item.text), complete: item.ticket?.settled ?? false }], i + 1),
      item.owner ? cell(item.owner) : el('em', text('unassigned')),
      item.ticket ? withAttributes('a', { href: item.ticket.url }, text(item.ticket.key)) : text('—'),
      text(item.ticket?.state ?? 'open'),
    ]),
  );
  return table([headerRow(['Action', 'Owner', 'Ticket', 'Status']), ...rows]);
}

function correctionList(rows: readonly CorrectionRow[]): Xml {
  const item = (row: CorrectionRow) =>
    el(
      'li',
      join([
        text(`${row.time}: ${row.by} ${row.what}. `),
        el('em', text('Was:')),
        text(' '),
        multiline(row.before),
        ...(row.after === undefined ? [] : [text(' '), el('em', text('Now:')), text(' '), multiline(row.after)]),
      ]),
    );
  return el('ul', ...rows.map(item));
}

function metricsTable(metrics: readonly MetricRow[], gaps: UpdateGapsRow): Xml {
  const body = metrics.map(({ label, value }) => {
    const cells = isPlaceholder(value)
      ? [withAttributes('td', { colspan: '3' }, inlinePlaceholder(value))]
      : [el('td', cell(value.duration)), el('td', cell(`declaration → ${value.basis}`)), el('td', cell(value.at))];
    return el('tr', el('th', cell(label)), ...cells);
  });
  const gapCells =
    gaps.value.kind === 'none'
      ? [withAttributes('td', { colspan: '3' }, el('em', text(gaps.value.text)))]
      : [
          el('td', cell(`${gaps.value.average} on average, longest ${gaps.value.longest}`)),
          el('td', cell(gaps.value.basis)),
          el('td', cell(`longest wait until ${gaps.value.longestEndedAt}`)),
        ];
  return table([headerRow(['Metric', 'Value', 'Measured from', 'At']), ...body, el('tr', el('th', cell(gaps.label)), ...gapCells)]);
}

function communications(value: CommunicationsSection): Xml {
  if (value.kind === 'none') return paragraphs(value.text);
  return table([headerRow(['Time', 'Who', 'Status', 'Update']), ...value.rows.map((row) => tableRow(communicationCells(row)))]);
}

function communicationCells(row: CommunicationRow): Xml[] {
  const labelled = (label: string, plain: string): Xml[] => [el('br'), el('strong', text(`${label}:`)), text(' '), lines(plain)];
  const update = join([
    multiline(row.known),
    ...(row.doing ? labelled('Doing', row.doing) : []),
    ...(row.need ? labelled('Need', row.need) : []),
    ...(row.nextBy ? [el('br'), el('em', text(`Next update by ${row.nextBy}`))] : []),
  ]);
  return [cell(row.time), cell(row.author), cell(row.status), update];
}

// --- Shared layout ------------------------------------------------------------------------------

function table(rows: readonly Xml[]): Xml {
  return el('table', el('tbody', join(rows, NEWLINE)));
}

function headerRow(labels: readonly string[]): Xml {
  return tableRow(labels.map(text), 'th');
}

/** A one-line cell, never empty: an empty cell reads as a gap rather than "nothing here". */
function cell(plain: string): Xml {
  return trimmed(plain) || text('—');
}

/** Multi-line text in a cell or a task, never empty. */
function multiline(plain: string): Xml {
  return lines(plain) || text('—');
}

/** A fact inside a sentence or a cell, or its placeholder. */
function fact(value: Text): Xml {
  return isPlaceholder(value) ? inlinePlaceholder(value) : multiline(value);
}

/** A section's prose, or the callout saying what to write there. */
function prose(value: Text): Xml {
  return isPlaceholder(value) ? blockPlaceholder(value) : paragraphs(value) || el('p', text('—'));
}

function listOr<T>(items: readonly T[] | Placeholder, render: (items: readonly T[]) => Xml): Xml {
  return isPlaceholder(items) ? blockPlaceholder(items) : render(items);
}
