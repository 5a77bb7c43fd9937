// Which pending effect of an incident runs next: order, deadlines, pacing and backoffs.

import type { Effect, EffectSpec } from '../../../src/domain/effects';
import { nextEffect, RENDER_PACE_MS } from '../../../src/usecases/effects/effect-order';

const NOW = 1_000_000;
let id = 0;
const effect = (spec: EffectSpec, notBefore = NOW): Effect => ({ id: ++id, incidentId: 'i1', spec, attempts: 0, notBefore, createdAt: NOW - 10 });
const never = () => undefined;

describe('nextEffect', () => {
  it('runs the oldest due effect first', () => {
    const [a, b] = [effect({ kind: 'channel.post', text: 'a' }), effect({ kind: 'channel.post', text: 'b' })];
    expect(nextEffect([a, b], NOW, never)).toEqual({ head: a });
  });

  it('holds back everything after an ordinary effect in backoff, and says how long to wait', () => {
    const backoff = effect({ kind: 'channel.post', text: 'a' }, NOW + 5_000);
    const after = effect({ kind: 'header.post' });
    expect(nextEffect([backoff, after], NOW, never)).toEqual({ waitMs: 5_000 });
  });

  it('lets the rest go ahead of a reminder whose deadline has not come, or a card in backoff', () => {
    const reminder = effect({ kind: 'reminder', topic: 'update', at: NOW + 60_000 }, NOW + 60_000);
    const card = effect({ kind: 'announcement.update' }, NOW + 3_000);
    const post = effect({ kind: 'channel.post', text: 'a' });
    expect(nextEffect([reminder, card, post], NOW, never)).toEqual({ head: post });
    expect(nextEffect([reminder, card], NOW, never)).toEqual({ waitMs: 3_000 });
  });

  it('paces each rendering kind on its own: a header edited just now waits, the card does not', () => {
    const header = effect({ kind: 'header.update' });
    const card = effect({ kind: 'announcement.update' });
    const lastRun = (kind: string) => (kind === 'header.update' ? NOW - 200 : undefined);
    expect(nextEffect([header, card], NOW, lastRun)).toEqual({ head: card });
    expect(nextEffect([header], NOW, lastRun)).toEqual({ waitMs: RENDER_PACE_MS - 200 });
  });

  it("holds a rendering kind until the latest backoff of any of its rows (a 429's Retry-After holds the kind)", () => {
    const retried = effect({ kind: 'announcement.update' }, NOW + 2_000);
    const fresh = effect({ kind: 'announcement.update' });
    expect(nextEffect([fresh, retried], NOW, never)).toEqual({ waitMs: 2_000 });
    expect(nextEffect([fresh, retried], NOW + 2_000, never)).toEqual({ head: fresh });
  });

  it('returns nothing when nothing is pending', () => {
    expect(nextEffect([], NOW, never)).toEqual({});
  });
});
