// Re-exporting over a page people edited: which blocks are replaced, which are kept, where new ones go.

import { blockHash, blockHashes, markedPage, mergeIntoPage, readBlocks, type PageBlock } from '../../../src/postmortem/confluence/page-blocks';
import type { Xml } from '../../../src/postmortem/confluence/xml';

const block = (id: string, xml: string): PageBlock => ({ id, xml: xml as Xml });
const v1 = [block('summary', '<p>sev2</p>'), block('timeline', '<p>10:00 alert</p>'), block('conclusion', '<p>Thanks</p>'), block('footer', '<p><small>ours</small></p>')];
const exported = blockHashes(v1);

describe('marked page blocks', () => {
  it('when nobody edited the page, then every block is replaced with the fresh render', () => {
    const fresh = [
      block('summary', '<p>sev1</p>'),
      block('timeline', '<p>10:00 alert</p><p>10:05 ack</p>'),
      block('conclusion', '<p>Thanks all</p>'),
      block('footer', '<p><small>ours</small></p>'),
    ];
    const merged = mergeIntoPage(markedPage(v1), fresh, exported);
    expect(merged.body).toBe(markedPage(fresh));
    expect(merged.keptEdits).toEqual([]);
    expect(merged.hashes).toEqual(blockHashes(fresh));
  });

  it('when Confluence re-serialized the page (macro ids, whitespace), then that is no edit', () => {
    const saved = markedPage(v1)
      .replace(/ac:name="anchor"/g, 'ac:name="anchor" ac:schema-version="1" ac:macro-id="ab12"')
      .replace('<p>10:00 alert</p>', '<p>10:00 alert</p>\n  ');
    expect(
      readBlocks(saved)
        .filter((s) => s.kind === 'block')
        .map((s) => s.kind === 'block' && s.id),
    ).toEqual(['summary', 'timeline', 'conclusion', 'footer']);
    expect(mergeIntoPage(saved, v1, exported).keptEdits).toEqual([]);
    expect(blockHash('<p>a</p>  <br/>')).toBe(blockHash('<p>a</p><br />'));
  });

  it('when a block was edited, text was added between blocks and a block deleted, then those are kept as people left them', () => {
    const page = markedPage(v1)
      .replace('<p>Thanks</p>', '<p>Reviewed: thanks</p>')
      .replace(/(<ac:structured-macro ac:name="anchor"><ac:parameter ac:name="">ic:start:conclusion)/, '<h2>Notes</h2>\n$1')
      .replace(/<ac:structured-macro ac:name="anchor"><ac:parameter ac:name="">ic:start:summary[\s\S]*?ic:end:summary<\/ac:parameter><\/ac:structured-macro>/, '');
    const fresh = [block('summary', '<p>sev1</p>'), block('timeline', '<p>new</p>'), block('conclusion', '<p>Thanks all</p>'), block('footer', '<p><small>ours</small></p>')];

    const merged = mergeIntoPage(page, fresh, exported);

    expect(merged.keptEdits).toEqual(['conclusion']);
    expect(merged.body).toContain('<p>Reviewed: thanks</p>');
    expect(merged.body).toContain('<p>new</p>');
    expect(merged.body).not.toContain('sev1'); // deleted by a person: not brought back
    expect(merged.body.indexOf('<h2>Notes</h2>')).toBeLessThan(merged.body.indexOf('Reviewed: thanks'));
    // The kept block still carries the hash of what we wrote, so it stays theirs next time.
    expect(merged.hashes.conclusion).toBe(exported.conclusion);
  });

  it('when a block is new since the last export, then it goes in before the footer; a start without its end is left alone', () => {
    const broken = `${markedPage(v1)}<ac:structured-macro ac:name="anchor"><ac:parameter ac:name="">ic:start:stray</ac:parameter></ac:structured-macro><p>x</p>`;
    const fresh = [...v1.slice(0, 3), block('corrections', '<h2>Corrections</h2>'), v1[3]!];
    const merged = mergeIntoPage(broken, fresh, exported);
    expect(merged.body.indexOf('<h2>Corrections</h2>')).toBeLessThan(merged.body.indexOf('ic:start:footer'));
    expect(merged.body.indexOf('<h2>Corrections</h2>')).toBeGreaterThan(merged.body.indexOf('ic:end:conclusion'));
    expect(merged.body).toContain('ic:start:stray</ac:parameter></ac:structured-macro><p>x</p>');
  });
});
