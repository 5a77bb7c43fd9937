import { computeMetrics } from '../../../src/domain/metrics';
import { DECLARED_AT, bareIncident, eat, event, seedIncident } from '../../fixtures/seed-incident';

const MINUTE = 60_000;

describe('computeMetrics', () => {
  it('measures the seed incident from declaration: acknowledged in 5 minutes, resolved in 2 hours', () => {
    const { incident, timeline } = seedIncident();
    const metrics = computeMetrics(incident, timeline);
    expect(metrics.timeToAcknowledge).toEqual({ ms: 5 * MINUTE, at: eat(13, 5), basis: 'first acknowledgement' });
    expect(metrics.timeToResolve).toEqual({ ms: 120 * MINUTE, at: eat(15), basis: 'resolution' });
  });

  it('falls back to the resolution for mitigation when no monitoring phase was recorded, and says so', () => {
    const { incident, timeline } = seedIncident();
    expect(computeMetrics(incident, timeline).timeToMitigate).toEqual({
      ms: 120 * MINUTE,
      at: eat(15),
      basis: 'resolution (no monitoring phase recorded)',
    });
  });

  it('uses the first status change to monitoring for mitigation', () => {
    const timeline = [
      event('status', eat(14, 30), '', { data: { from: 'identified', to: 'monitoring' } }),
      event('status', eat(13, 40), '', { data: { from: 'investigating', to: 'identified' } }),
      event('status', eat(14, 10), '', { data: { from: 'identified', to: 'monitoring' } }),
    ];
    const metrics = computeMetrics(bareIncident({ resolvedAt: eat(15) }), timeline);
    expect(metrics.timeToMitigate).toEqual({ ms: 70 * MINUTE, at: eat(14, 10), basis: 'first status change to monitoring' });
  });

  it('takes the earliest acknowledgement whatever the stored order, ignoring ones before declaration', () => {
    const timeline = [
      event('acknowledged', eat(13, 9), '', { actorId: 'U2' }),
      event('acknowledged', eat(12, 55), '', { actorId: 'U3' }),
      event('acknowledged', eat(13, 2), '', { actorId: 'U1' }),
    ];
    expect(computeMetrics(bareIncident(), timeline).timeToAcknowledge?.at).toBe(eat(13, 2));
  });

  it('counts acknowledging a page like any acknowledgement: the seed page answered at 2:02 PM comes after 1:05 PM', () => {
    const { incident, timeline } = seedIncident();
    expect(timeline.filter((e) => e.kind === 'acknowledged' && e.data?.escalationId)).toHaveLength(1);
    expect(computeMetrics(incident, timeline).timeToAcknowledge?.at).toBe(eat(13, 5));
    const page = { escalationId: 'esc-1', target: 'policy platform-oncall' };
    const paged = [event('acknowledged', eat(13, 9), '', { actorId: 'U2' }), event('acknowledged', eat(13, 7), '', { actorId: 'U1', data: page })];
    expect(computeMetrics(bareIncident(), paged).timeToAcknowledge).toEqual({ ms: 7 * MINUTE, at: eat(13, 7), basis: 'first acknowledgement' });
  });

  it('does not take being paged, or a page timing out, for an acknowledgement', () => {
    const data = { escalationId: 'esc-1', level: 0, target: 'policy platform-oncall' };
    const timeline = [
      event('escalation', eat(13, 1), '', { data: { ...data, step: 'paged' } }),
      event('escalation', eat(13, 6), '', { data: { ...data, step: 'timed_out' } }),
      event('escalation', eat(13, 6), '', { data: { ...data, step: 'exhausted' } }),
    ];
    expect(computeMetrics(bareIncident(), timeline).timeToAcknowledge).toBeUndefined();
  });

  it('counts an acknowledgement at the very instant of declaration as zero', () => {
    const metrics = computeMetrics(bareIncident(), [event('acknowledged', DECLARED_AT, '')]);
    expect(metrics.timeToAcknowledge?.ms).toBe(0);
  });

  it('falls back to the first resolved event when the incident has no resolvedAt', () => {
    const timeline = [event('resolved', eat(16), 'again'), event('resolved', eat(15, 30), 'fixed')];
    expect(computeMetrics(bareIncident(), timeline).timeToResolve).toEqual({
      ms: 150 * MINUTE,
      at: eat(15, 30),
      basis: 'first resolved event',
    });
  });

  it('invents nothing: a bare incident has no metrics at all', () => {
    const metrics = computeMetrics(bareIncident(), [event('declared', DECLARED_AT, 'Checkout errors')]);
    expect(metrics).toEqual({ timeToAcknowledge: undefined, timeToMitigate: undefined, timeToResolve: undefined });
  });

  it('ignores a resolution time earlier than the declaration instead of reporting a negative duration', () => {
    const metrics = computeMetrics(bareIncident({ resolvedAt: eat(12) }), []);
    expect(metrics.timeToResolve).toBeUndefined();
    expect(metrics.timeToMitigate).toBeUndefined();
  });

  it('ignores status changes to anything but monitoring', () => {
    const timeline = [event('status', eat(13, 30), '', { data: { from: 'investigating', to: 'identified' } })];
    expect(computeMetrics(bareIncident(), timeline).timeToMitigate).toBeUndefined();
  });
});
