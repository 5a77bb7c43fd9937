import { formatDuration, MAX_DURATION_MS, MIN_DURATION_MS, parseDuration } from '../../../src/config/duration';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

describe('parseDuration', () => {
  it.each([
    ['30s', 30 * S],
    ['5m', 5 * M],
    ['1h', H],
    ['1h30m', 90 * M],
    ['1h 30m', 90 * M],
    ['90m', 90 * M],
    ['2 min', 2 * M],
    ['10 minutes', 10 * M],
    ['1 hour 30 minutes', 90 * M],
    ['1m30s', 90 * S],
    ['1.5h', 90 * M],
    ['  5M  ', 5 * M],
    ['45 secs', 45 * S],
    ['2 hrs', 2 * H],
  ])('when given %j, then it reads %d milliseconds', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5', '300', 'five minutes', '5 mins please', '5x', '-5m', '500ms', '30m1h', '5m5m', 'm', '1h30', '1.h'])('when given %j, then it is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('when the duration is at a bound, then it is accepted; just outside, it is refused', () => {
    expect(parseDuration('10s')).toBe(MIN_DURATION_MS);
    expect(parseDuration('9s')).toBeUndefined();
    expect(parseDuration('24h')).toBe(MAX_DURATION_MS);
    expect(parseDuration('24h1s')).toBeUndefined();
    expect(parseDuration('0m')).toBeUndefined();
  });

  it('when other bounds are given, then they replace the 10s–24h default', () => {
    expect(parseDuration('5s', { minMs: 0, maxMs: Infinity })).toBe(5 * S);
    expect(parseDuration('48h', { minMs: 0, maxMs: Infinity })).toBe(48 * H);
  });
});

describe('formatDuration', () => {
  it.each([
    [5 * M, '5m'],
    [90 * M, '1h30m'],
    [H, '1h'],
    [45 * S, '45s'],
    [H + 5 * S, '1h5s'],
    [24 * H, '24h'],
    [0, '0s'],
    [1499, '1s'],
    [-5 * S, '0s'],
  ])('when given %d ms, then it writes %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('when a formatted duration is read back, then it is the same duration', () => {
    for (const ms of [10 * S, 5 * M, 90 * M, H + M + S, 24 * H]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
