import { applyCorrections, corrections, mayCorrect } from '../../../src/domain/corrections';
import type { TimelineEvent } from '../../../src/domain/timeline';

let n = 0;
const entry = (kind: TimelineEvent['kind'], text: string, extra: Partial<TimelineEvent> = {}): TimelineEvent => {
  n += 1;
  return { id: `e${n}`, incidentId: 'i1', kind, at: n * 1000, recordedAt: n * 1000, text, sourceId: `s${n}`, actorId: 'U1', ...extra };
};
const fix = (target: TimelineEvent, change: 'edit' | 'remove', text = '', recordedAt = (n + 1) * 1000) =>
  entry('correction', text, { recordedAt, data: { target: target.id, change, before: target.text } });

describe('corrections to the record', () => {
  it('when an entry is edited twice, then the latest edit by recording time wins and the entry is marked edited', () => {
    const note = entry('note', 'databse donw');
    const later = fix(note, 'edit', 'database down (2)', 9_000);
    const earlier = fix(note, 'edit', 'database down', 8_000);
    const corrected = applyCorrections([note, later, earlier]);
    expect(corrected).toEqual([{ ...note, text: 'database down (2)', data: { edited: true } }]);
    expect(corrections([note, later, earlier]).map((c) => c.event.text)).toEqual(['database down', 'database down (2)']);
  });

  it('when an entry is removed, then it and every correction entry leave the corrected timeline; others keep their order', () => {
    const [a, b, c] = [entry('note', 'a'), entry('action', 'b'), entry('note', 'c')];
    expect(applyCorrections([a, b, c, fix(b, 'remove')]).map((e) => e.text)).toEqual(['a', 'c']);
  });

  it('when a correction is malformed, then it is ignored', () => {
    const note = entry('note', 'kept');
    const broken = entry('correction', 'x', { data: { target: note.id, change: 'rewrite' } });
    expect(applyCorrections([note, broken])).toEqual([note]);
  });

  it('when asked who may correct, then the author and the commander may fix text entries, nobody may fix derived facts', () => {
    const incident = { commanderId: 'UCMD' };
    const note = entry('note', 'x', { actorId: 'UAUTHOR' });
    expect([mayCorrect(incident, note, 'UAUTHOR'), mayCorrect(incident, note, 'UCMD'), mayCorrect(incident, note, 'UOTHER')]).toEqual([true, true, false]);
    expect(mayCorrect(incident, entry('status', '', { actorId: 'UCMD' }), 'UCMD')).toBe(false);
  });
});
