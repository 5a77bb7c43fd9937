// Random hostile text in every field a person (or a chat) fills, through compile → Confluence
// storage → XML parser, thousands of times from a fixed seed: the page stays well-formed, keeps
// exactly the renderer's macros and elements, and every hostile string survives as text.

import { DOMParser, type Element, type Node } from '@xmldom/xmldom';
import type { Escalation } from '../../../src/domain/escalation';
import type { TimelineEvent } from '../../../src/domain/timeline';
import { compilePostmortem } from '../../../src/postmortem/compile';
import { isPlaceholder, type PostmortemModel } from '../../../src/postmortem/model';
import { renderConfluenceBlocks, renderConfluenceStorage } from '../../../src/postmortem/render-confluence';
import { PAGE_ELEMENTS, SECTIONS } from '../../fixtures/confluence-reading';
import { PEOPLE, SEED_TIME_ZONE, bareIncident, eat, event } from '../../fixtures/seed-incident';
import { prng } from '../../support/hostile-text';

const ITERATIONS = 2000;
// Hostile text carries no URL the model would link, so no `a` either.
const ELEMENTS = PAGE_ELEMENTS;
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
// xmldom accepts a bare "&", forbidden characters and "]]>" in text silently: checked on the text.
// (No `g` flag here: `test` on a global pattern is stateful.)
const LEXICAL = [new RegExp(NOT_XML_CHAR.source, 'u'), /&(?!(?:amp|lt|gt|quot|apos);)/, /\]\]>|<!|<\?/];

// xmldom's hint that the source may have been mis-decoded: U+FFFD is a valid XML character (a user
// can paste one), so this warning says nothing about well-formedness.
const FFFD_WARNING = 'Unicode replacement character detected, source encoding issues?';

const POOL = [
  '<ac:structured-macro ac:name="html">',
  '</ac:structured-macro>',
  '<ac:plain-text-body>',
  '<script>alert(1)</script>',
  ']]>',
  '<![CDATA[',
  '<!--',
  '-->',
  '<?xml version="1.0"?>',
  '&amp;',
  '&nbsp;',
  '&lt;script&gt;',
  '&#60;',
  '&copy;',
  '"',
  "'",
  '"\'',
  '<',
  '>',
  '&',
  '\uFFFD',
  '\uFFFE',
  '\uFFFF',
  '\uD800',
  '\uDFFF',
  '😀',
  '👩‍💻',
  '\u202E',
  '\u2067',
  '\u202B',
  'مرحبا',
  'שלום',
  '\n',
  '\r\n',
  '\n\n',
  '\u2028',
  ' ',
  '\t',
  'text',
  'ok.',
  '<@U01AMINA>',
  '<!channel>',
  '<https://x.io|x>',
  ...Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)),
];

function hostileText(random: () => number): string {
  if (random() < 0.003) return `${'<script>'.repeat(1250)}]]>`; // a 10k-character line, now and then
  let text = '';
  for (let i = Math.floor(random() * 12); i > 0; i--) {
    // Mostly the pool; sometimes any UTF-16 code unit at all (lone surrogates, noncharacters …).
    text += random() < 0.85 ? POOL[Math.floor(random() * POOL.length)] : String.fromCharCode(Math.floor(random() * 0x10000));
  }
  return text;
}

function randomCase(random: () => number) {
  const hostile = () => hostileText(random);
  const maybe = () => (random() < 0.5 ? hostile() : undefined);
  const incident = bareIncident({
    title: hostile(),
    severity: (['sev1', 'sev2', 'sev3', 'sev4'] as const)[Math.floor(random() * 4)],
    impact: maybe(),
    rootCause: maybe(),
    resolutionSummary: maybe(),
    conclusion: maybe(),
    roles: { [hostile()]: PEOPLE.brian },
    resolvedAt: random() < 0.5 ? eat(15) : undefined,
  });
  const escalation: Escalation = {
    id: 'esc-1',
    incidentId: incident.id,
    target: random() < 0.5 ? { kind: 'policy', name: hostile() } : { kind: 'usergroup', id: 'S1', handle: hostile() },
    levels: [{ userIds: [PEOPLE.david], usergroupIds: [] }],
    reason: hostile(),
    requestedBy: PEOPLE.amina,
    trigger: 'manual',
    createdAt: eat(14),
    state: 'acknowledged',
    currentLevel: 0,
    pages: [{ level: 0, pagedAt: eat(14), userIds: [PEOPLE.david], notices: [{ userId: PEOPLE.david, error: hostile() }] }],
    acknowledgedBy: PEOPLE.david,
    acknowledgedAt: eat(14, 2),
    version: 1,
  };
  const kinds = ['note', 'cause', 'impact', 'resolved', 'action', 'message', 'update'] as const;
  const timeline: TimelineEvent[] = Array.from({ length: Math.floor(random() * 6) }, (_, i) =>
    event(kinds[Math.floor(random() * kinds.length)], eat(13, i * 5), hostile(), {
      actorId: random() < 0.8 ? PEOPLE.amina : undefined,
      data: { owner: random() < 0.5 ? PEOPLE.david : hostile(), status: hostile(), doing: hostile(), need: hostile() },
    }),
  );
  if (random() < 0.5) timeline.push(event('escalation', eat(14), hostile(), { actorId: PEOPLE.amina, data: { escalationId: 'esc-1', step: 'paged', level: 0 } }));
  const names = new Map([PEOPLE.amina, PEOPLE.brian, PEOPLE.david].map((id) => [id, hostile()]));
  const model = compilePostmortem({ incident, timeline, escalations: random() < 0.7 ? [escalation] : [], names, timeZone: SEED_TIME_ZONE, compiledAt: eat(16) });
  return { model, footer: `Exported by Incident Commander · ${hostile()}` };
}

function elements(node: Node): Element[] {
  return Array.from(node.childNodes).flatMap((child) => (child.nodeType === child.ELEMENT_NODE ? [child as Element, ...elements(child)] : []));
}

function textOf(node: Node): string {
  return Array.from(node.childNodes)
    .map((child) => (child.nodeType === child.TEXT_NODE ? (child.nodeValue ?? '') : textOf(child)))
    .join('');
}

/** The characters a reader sees, ignoring where whitespace and line breaks fall (C1 controls are dropped too). */
const visible = (text: string): string => text.replace(NOT_XML_CHAR, '').replace(/[\u007F-\u009F]|\s+/g, '');

function expectedMacros(model: PostmortemModel): number {
  return 1 + [model.timeline, model.rootCause.full, model.resolution, model.actionItems, model.conclusion].filter(isPlaceholder).length;
}

/** What the page should be, next to what it is: compared whole, so a failure shows the iteration. */
function check(iteration: number, model: PostmortemModel, footer: string) {
  const storage = renderConfluenceStorage(model, { footer });
  // No bidi override or isolate from user text survives to reverse the page's own words after it
  // (the footer is the bot's own text, hostile here only to test escaping).
  expect(storage.replace(/<p><small>[\s\S]*<\/small><\/p>/, '')).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  const problems: string[] = LEXICAL.filter((pattern) => pattern.test(storage)).map(String);
  const onError = (level: string, message: string) => {
    if (message !== FFFD_WARNING) problems.push(`${level}: ${message}`);
  };
  const doc = new DOMParser({ onError, locator: false }).parseFromString(
    `<root xmlns:ac="http://atlassian.com/content" xmlns:ri="http://atlassian.com/resource/identifier">${storage}</root>`,
    'text/xml',
  );
  const all = elements(doc);
  const named = (name: string) => all.filter((e) => e.tagName === name);
  const tasks = isPlaceholder(model.actionItems) ? [] : model.actionItems;
  const actual = {
    iteration,
    problems,
    foreignElements: all.map((e) => e.tagName).filter((name) => !ELEMENTS.has(name)),
    // The block markers are the renderer's own anchors, two per section; the rest are content macros.
    macros: named('ac:structured-macro')
      .map((m) => m.getAttribute('ac:name'))
      .filter((name) => name !== 'anchor')
      .sort(),
    anchors: named('ac:structured-macro').filter((m) => m.getAttribute('ac:name') === 'anchor').length,
    headings: named('h2').map(textOf),
    incident: visible(textOf(named('td')[0])),
    // Each measure's row: its task's text, then the owner, ticket and status cells.
    measures: named('tr')
      .filter((row) => row.getElementsByTagName('ac:task-body').length > 0)
      .map((row) => [row.getElementsByTagName('ac:task-body')[0], ...Array.from(row.getElementsByTagName('td')).slice(1)].map((e) => visible(textOf(e))).join('|')),
    footer: visible(textOf(named('small')[0])),
  };
  const callouts = [model.timeline, model.rootCause.full, model.resolution, model.actionItems, model.conclusion]
    .filter(isPlaceholder)
    .map((p) => (p.reason === 'to-complete' ? 'note' : 'info'));
  expect(actual).toEqual({
    iteration,
    problems: [],
    foreignElements: [],
    macros: ['status', ...callouts].sort(),
    anchors: 2 * renderConfluenceBlocks(model, { footer }).length,
    headings: SECTIONS,
    incident: visible(`${model.key} · ${model.title}`),
    // An empty cell or task shows "—" rather than nothing.
    measures: tasks.map((t) => `${visible(t.text) || '—'}|${t.owner ? visible(t.owner) || '—' : 'unassigned'}|—|open`),
    footer: visible(footer),
  });
  expect(actual.macros).toHaveLength(expectedMacros(model));
}

describe('Confluence storage under hostile input, property-style', () => {
  it(`stays well-formed, with only the renderer's markup, over ${ITERATIONS} random cases`, () => {
    const random = prng(20230303);
    for (let i = 0; i < ITERATIONS; i++) {
      const { model, footer } = randomCase(random);
      check(i, model, footer);
    }
  }, 60_000); // seconds here, but parsing thousands of pages must not flake on a loaded CI runner
});
