// The Confluence storage page: every section of the seed, and well-formed XML in which nothing a
// user typed becomes markup. Dev dependency: @xmldom/xmldom rather than fast-xml-parser, because it
// builds a namespace-aware DOM (so "is this a text node or an element?" is a question we can ask)
// and reports every problem to `onError`. It tolerates a few things (a bare "&", forbidden
// characters, "]]>" in text), so those are checked on the text itself; "the checker" proves both.

import { DOMParser, type Document, type Element, type Node } from '@xmldom/xmldom';
import { compilePostmortem } from '../../../src/postmortem/compile';
import { isPlaceholder, type PostmortemModel } from '../../../src/postmortem/model';
import { renderConfluenceBlocks, renderConfluenceStorage } from '../../../src/postmortem/render-confluence';
import { PAGE_ELEMENTS, SECTIONS } from '../../fixtures/confluence-reading';
import { MEASURES, PEOPLE, SEED_TIMELINE, SEED_TIME_ZONE, bareIncident, eat, event, seedIncident } from '../../fixtures/seed-incident';

/** Links come from URLs in the model (permalinks, ticket links). */
const ELEMENTS = new Set([...PAGE_ELEMENTS, 'a']);
const FOOTER = 'Exported by Incident Commander · incident 1234-abcd';

// xmldom accepts these silently (checked in "the checker"), so they are tested on the text itself.
const LEXICAL: ReadonlyArray<[string, RegExp]> = [
  ['a character XML 1.0 forbids', /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u],
  ['an entity other than the five of XML, or a bare &', /&(?!(?:amp|lt|gt|quot|apos);)/],
  ['a CDATA end, a comment, a CDATA section, a doctype or a processing instruction', /]]>|<!|<\?/],
];

function parse(storage: string): { doc: Document; problems: string[] } {
  const problems = LEXICAL.filter(([, pattern]) => pattern.test(storage)).map(([what]) => what);
  const parser = new DOMParser({ onError: (level, message) => void problems.push(`${level}: ${message}`) });
  const root = `<root xmlns:ac="http://atlassian.com/content" xmlns:ri="http://atlassian.com/resource/identifier">${storage}</root>`;
  return { doc: parser.parseFromString(root, 'text/xml'), problems };
}

function elements(node: Node): Element[] {
  const found: Element[] = [];
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === child.ELEMENT_NODE) found.push(child as Element, ...elements(child));
  }
  return found;
}

function textNodes(node: Node): string[] {
  return Array.from(node.childNodes).flatMap((child) => (child.nodeType === child.TEXT_NODE ? [child.nodeValue ?? ''] : textNodes(child)));
}

const named = (doc: Document, name: string): Element[] => elements(doc).filter((e) => e.tagName === name);
const textOf = (node: Node): string => textNodes(node).join('');

/** The macros the renderer emits: the severity lozenge, and a callout per missing section body. */
function expectedMacros(model: PostmortemModel): number {
  return 1 + [model.timeline, model.rootCause.full, model.resolution, model.actionItems, model.conclusion].filter(isPlaceholder).length;
}

/** Well-formed, only our elements, our macros, the sections in order, the footer last. */
function expectSafePage(model: PostmortemModel, storage: string): Document {
  const { doc, problems } = parse(storage);
  expect(problems).toEqual([]);
  const all = elements(doc);
  expect(all.filter((e) => !ELEMENTS.has(e.tagName)).map((e) => e.tagName)).toEqual([]);
  // Each section sits between two anchors (the re-export's block markers); the other macros are content.
  const anchors = named(doc, 'ac:structured-macro').filter((m) => m.getAttribute('ac:name') === 'anchor');
  expect(anchors.map(textOf).filter((t) => t.startsWith('ic:start:'))).toEqual(renderConfluenceBlocks(model, { footer: FOOTER }).map((b) => `ic:start:${b.id}`));
  const macros = named(doc, 'ac:structured-macro').filter((m) => m.getAttribute('ac:name') !== 'anchor');
  expect(macros).toHaveLength(expectedMacros(model));
  expect(macros.filter((m) => m.getAttribute('ac:name') === 'status')).toHaveLength(1);
  expect(named(doc, 'ac:task')).toHaveLength(isPlaceholder(model.actionItems) ? 0 : model.actionItems.length);
  expect(named(doc, 'h2').map(textOf)).toEqual(SECTIONS);
  expect(all.filter((e) => e.tagName !== 'ac:structured-macro' && e.tagName !== 'ac:parameter').at(-1)?.tagName).toBe('small');
  return doc;
}

const seedModel = (): PostmortemModel => compilePostmortem({ ...seedIncident(), compiledAt: eat(15, 20) });

describe('the seed postmortem as a Confluence page', () => {
  const model = seedModel();
  const storage = renderConfluenceStorage(model, { footer: FOOTER });
  const { doc } = parse(storage);

  it('is a well-formed page of our markup only', () => void expectSafePage(model, storage));

  it('opens with a summary table, severity as a yellow SEV2 lozenge', () => {
    const anchor = (edge: string, id: string) => `<ac:structured-macro ac:name="anchor"><ac:parameter ac:name="">ic:${edge}:${id}</ac:parameter></ac:structured-macro>`;
    expect(storage.startsWith(`${anchor('start', 'summary')}\n<table><tbody><tr><th>Incident</th><td>INC-42 · GuitarShopPro partial outage</td></tr>`)).toBe(true);
    expect(storage).toContain(
      '<ac:structured-macro ac:name="status"><ac:parameter ac:name="colour">Yellow</ac:parameter><ac:parameter ac:name="title">SEV2</ac:parameter></ac:structured-macro>',
    );
    const summary = named(doc, 'tr')
      .slice(0, 9)
      .map((tr) => Array.from(tr.childNodes).map(textOf));
    expect(summary).toEqual([
      ['Incident', 'INC-42 · GuitarShopPro partial outage'],
      ['Severity', 'YellowSEV2'],
      ['Status', 'Resolved'],
      ['Start', 'March 3, 2023, 1:00 PM'],
      ['End', '3:00 PM'],
      ['Duration', '2 hours'],
      ['Commander', 'Amina Odhiambo'],
      ['Communications', 'Brian Otieno'],
      ['Time zone', 'Africa/Nairobi (EAT)'],
    ]);
  });

  it('colours the lozenge by severity', () => {
    for (const [severity, colour] of [
      ['sev1', 'Red'],
      ['sev2', 'Yellow'],
      ['sev3', 'Blue'],
      ['sev4', 'Grey'],
    ] as const) {
      const page = renderConfluenceStorage({ ...model, severity }, { footer: FOOTER });
      expect(page).toContain(`<ac:parameter ac:name="colour">${colour}</ac:parameter><ac:parameter ac:name="title">${severity.toUpperCase()}</ac:parameter>`);
    }
  });

  it('has every section, in the Markdown order, with the summary facts', () => {
    const positions = SECTIONS.map((heading) => storage.indexOf(`<h2>${heading}</h2>`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(storage).toContain('<p>GuitarShopPro partial outage: from March 3, 2023, 1:00 PM to 3:00 PM (EAT), 2 hours.</p>');
    expect(storage).toContain('<li><strong>Impact:</strong> Users experienced slow page load times');
  });

  it('lays the timeline out as rows of time, who, what and kind', () => {
    const rows = named(doc, 'table')[1].getElementsByTagName('tr');
    const cells = Array.from(rows).map((tr) => Array.from(tr.getElementsByTagName('td')).map(textOf));
    expect(Array.from(rows[0].getElementsByTagName('th')).map(textOf)).toEqual(['Time', 'Who', 'What', 'Kind']);
    expect(cells).toContainEqual(['1:05 PM (EAT)', 'Brian Otieno', 'Incident acknowledged', 'Acknowledged']);
    let previous = 0;
    for (const [time, text] of SEED_TIMELINE) {
      const index = cells.findIndex(([at, , what]) => at === time && what.includes(text));
      expect(index).toBeGreaterThan(previous);
      previous = index;
    }
  });

  it('lists the escalation in its own table', () => {
    const row = Array.from(named(doc, 'table')[2].getElementsByTagName('td')).map(textOf);
    expect(row[0]).toBe('2:00 PM (EAT)');
    expect(row[1]).toContain('@David Kamau(manual, by Amina Odhiambo)Reason: The issue was escalated');
    expect(row.slice(2)).toEqual(['David Kamau', 'Acknowledged by David Kamau at 2:02 PM (EAT) after 2 minutes', '2 minutes']);
  });

  it('tabulates the measures as open tasks with their owners, tickets and status', () => {
    const measures = named(doc, 'table').find((t) => textOf(t.getElementsByTagName('tr')[0] as Element) === 'ActionOwnerTicketStatus');
    const rows = Array.from(measures?.getElementsByTagName('tr') ?? [])
      .slice(1)
      .map((row) => {
        const task = row.getElementsByTagName('ac:task')[0];
        return {
          id: textOf(task.getElementsByTagName('ac:task-id')[0]),
          status: textOf(task.getElementsByTagName('ac:task-status')[0]),
          body: textOf(task.getElementsByTagName('ac:task-body')[0]),
          cells: Array.from(row.getElementsByTagName('td')).slice(1).map(textOf),
        };
      });
    expect(rows).toEqual([
      { id: '1', status: 'incomplete', body: MEASURES[0], cells: ['David Kamau', '—', 'open'] },
      { id: '2', status: 'incomplete', body: MEASURES[1], cells: ['unassigned', '—', 'open'] },
      { id: '3', status: 'incomplete', body: MEASURES[2], cells: ['unassigned', '—', 'open'] },
    ]);
  });

  it('tabulates the key metrics and ends with the conclusion and the footer', () => {
    expect(storage).toContain('<tr><th>Time to acknowledge</th><td>5 minutes</td><td>declaration → first acknowledgement</td><td>1:05 PM (EAT)</td></tr>');
    expect(storage).toContain('contact our support team at support@guitarshoppro.com.</p>');
    expect(
      storage.endsWith(
        `<hr />\n<p><small>${FOOTER}</small></p>\n<ac:structured-macro ac:name="anchor"><ac:parameter ac:name="">ic:end:footer</ac:parameter></ac:structured-macro>\n`,
      ),
    ).toBe(true);
  });
});

describe('a draft with gaps', () => {
  const model = compilePostmortem({ incident: bareIncident(), timeline: [], escalations: [], names: new Map(), timeZone: SEED_TIME_ZONE, compiledAt: eat(16) });
  const storage = renderConfluenceStorage(model, { footer: FOOTER });
  const { doc } = parse(storage);

  it('is a well-formed page of our markup only', () => void expectSafePage(model, storage));

  it('says what to fill in, in callouts and italics, and invents nothing', () => {
    const callouts = named(doc, 'ac:structured-macro').filter((m) => !['status', 'anchor'].includes(m.getAttribute('ac:name') ?? ''));
    expect(callouts.map((m) => `${m.getAttribute('ac:name')}: ${textOf(m)}`)).toEqual([
      'info: Not captured: no timeline entries were recorded',
      'note: To be completed: explain the root cause (/incident cause …).',
      'note: To be completed: describe how the incident was resolved (/incident resolve …).',
      'note: To be completed: add corrective and preventative measures (/incident action …).',
      'note: To be completed: write a closing note for readers: commitments and where to ask questions.',
    ]);
    expect(storage).toContain('<li><strong>Impact:</strong> <em><strong>To be completed:</strong> describe the customer impact (/incident impact …).</em></li>');
    expect(storage).toContain('<th>Time to acknowledge</th><td colspan="3"><em><strong>Not captured:</strong> no acknowledgement was recorded</em></td>');
    expect(storage).toContain('<th>End</th><td><em><strong>Ongoing:</strong> not resolved when this draft was compiled');
    expect(storage).not.toMatch(/undefined|null|NaN/);
  });
});

describe('tickets', () => {
  it('when an action item has a ticket, then its key links to it with its state, the URL as an attribute value only', () => {
    const seed = seedModel();
    const url = 'https://jira.example/browse/OPS-1?x="><script>';
    const model: PostmortemModel = {
      ...seed,
      actionItems: [
        { text: 'Rotate keys', owner: 'Bob', ticket: { key: 'OPS-1', url, state: "won't do", settled: true } },
        { text: 'Add a canary', ticket: { key: 'OPS-2', url: 'https://jira.example/browse/OPS-2', state: 'open', settled: false } },
      ],
    };
    const doc = expectSafePage(model, renderConfluenceStorage(model, { footer: FOOTER }));
    const [link] = named(doc, 'a');
    expect(link?.getAttribute('href')).toBe(url);
    expect(textOf(link as Element)).toBe('OPS-1');
    const firstRow = named(doc, 'ac:task-body')[0]?.parentNode?.parentNode?.parentNode?.parentNode as Element;
    expect(Array.from(firstRow.getElementsByTagName('td')).map(textOf).slice(1)).toEqual(['Bob', 'OPS-1', "won't do"]);
    expect(textOf(named(doc, 'ac:task-body')[0] as Element)).toBe('Rotate keys');
    expect(named(doc, 'script')).toEqual([]);
    // A settled ticket's task is ticked; an open one's is not.
    expect(named(doc, 'ac:task-status').map(textOf)).toEqual(['complete', 'incomplete']);
  });
});

describe('hostile text', () => {
  const MACRO = '<ac:structured-macro ac:name="html"><ac:plain-text-body><![CDATA[<script>alert(1)</script>]]></ac:plain-text-body></ac:structured-macro>';
  const ODD = '&amp; &nbsp; &#60; "quoted" \'single\' <!-- comment --> ]]> 👩‍💻 مرحبا \u202Eevil';

  it('comes out as text nodes, whatever field it is in', () => {
    const seed = seedModel();
    const model: PostmortemModel = {
      ...seed,
      title: MACRO,
      commander: { id: PEOPLE.amina, name: '<script>alert(1)</script>' },
      roles: [{ role: '<b>', label: '<b>bold</b>', person: { id: PEOPLE.brian, name: ODD } }],
      impact: `line one\n${ODD}`,
      rootCause: { summary: MACRO, full: `${MACRO}\n\n${ODD}` },
      actionItems: [{ text: MACRO, owner: '<ac:task-status>complete</ac:task-status>' }],
      communications: {
        kind: 'rows',
        rows: [{ at: eat(13, 10), time: '1:10 PM (EAT)', author: ODD, status: '<b>', known: MACRO, doing: `${ODD}\nx`, need: '<script>alert(1)</script>' }],
      },
      conclusion: `${'A'.repeat(10_000)} ${ODD}`,
    };
    const storage = renderConfluenceStorage(model, { footer: `${FOOTER} ${MACRO}` });
    const doc = expectSafePage(model, storage);
    expect(named(doc, 'script')).toEqual([]);
    const texts = textNodes(doc);
    for (const hostile of [MACRO, '<script>alert(1)</script>', '<b>bold</b>', ODD, '<ac:task-status>complete</ac:task-status>']) {
      expect(texts.some((t) => t.includes(hostile))).toBe(true);
    }
    expect(named(doc, 'ac:task-status').map(textOf)).toEqual(['incomplete']);
    expect(storage).toContain('&amp;amp; &amp;nbsp; &amp;#60; &quot;quoted&quot; &apos;single&apos; &lt;!-- comment --&gt; ]]&gt;');
    expect(storage).toContain(`line one<br />&amp;amp;`);
    expect(textOf(named(doc, 'p').at(-2) as Element)).toBe(`${'A'.repeat(10_000)} ${ODD}`);
  });

  it('drops the characters XML cannot carry and keeps emoji whole', () => {
    const forbidden = 'a\u0000b\u0008c\u000Bd\u000Ce\u001Ff\uFFFEg\uFFFFh\uD800i\uDFFFj😀k\u0085l';
    const storage = renderConfluenceStorage({ ...seedModel(), title: forbidden, impact: 'a\n\uFFFE\u0001\nb' }, { footer: forbidden });
    expect(parse(storage).problems).toEqual([]);
    expect(storage).toContain('<strong>Impact:</strong> a<br />b</li>'); // no blank line where they were
    expect(storage).toContain('<td>INC-42 · abcdefghij😀kl</td>');
    expect(storage).toContain('<small>abcdefghij😀kl</small>');
  });

  it('lists corrections to the record after the conclusion, their texts escaped, and shows the corrected entry', () => {
    const seed = seedIncident();
    const note = event('note', eat(13, 40), 'the databse is donw', { actorId: PEOPLE.chebet });
    const fix = event('correction', eat(14, 0), 'the database is &lt;down&gt; ]]&gt;', { actorId: PEOPLE.chebet, data: { target: note.id, change: 'edit', before: note.text } });
    const model = compilePostmortem({ ...seed, timeline: [...seed.timeline, note, fix], compiledAt: eat(15, 20) });
    const storage = renderConfluenceStorage(model, { footer: FOOTER });
    const { doc, problems } = parse(storage);

    expect(problems).toEqual([]);
    expect(named(doc, 'h2').map(textOf)).toEqual([...SECTIONS, 'Corrections to the Record']);
    expect(textNodes(doc)).toContain('the database is <down> ]]>');
    expect(textOf(named(doc, 'ul').at(-1)!)).toMatch(/^2:00 PM \(EAT\): .+ edited the note of 1:40 PM \(EAT\)\. Was: the databse is donw Now: the database is <down> ]]>$/);
  });

  it('arrives from Slack as text too (Slack escapes a typed "<" as &lt;)', () => {
    const seed = seedIncident();
    const typed = '&lt;script&gt;alert(1)&lt;/script&gt; &amp;nbsp; ]]&gt;';
    const timeline = [...seed.timeline, event('note', eat(13, 40), typed, { actorId: PEOPLE.chebet })];
    const model = compilePostmortem({ ...seed, incident: { ...seed.incident, title: typed }, timeline, compiledAt: eat(15, 20) });
    const doc = expectSafePage(model, renderConfluenceStorage(model, { footer: FOOTER }));
    expect(textNodes(doc)).toContain('<script>alert(1)</script> &nbsp; ]]>'); // the note's cell
    expect(textNodes(doc)).toContain('INC-42 · <script>alert(1)</script> &nbsp; ]]>'); // the title
  });
});

describe('the checker', () => {
  it.each([['<p>&nbsp;</p>'], ['<p><b></p>'], ['<p>a & b</p>'], ['<p>\u0000</p>'], ['<p>\uD800</p>'], ['<p>]]></p>'], ['<!-- x -->'], ['<x:y />']])('flags %j', (bad) => {
    let problems: string[] = ['threw'];
    try {
      problems = parse(bad).problems;
    } catch {
      // A fatal error throws after being recorded: that counts as flagged.
    }
    expect(problems).not.toEqual([]);
  });
});
