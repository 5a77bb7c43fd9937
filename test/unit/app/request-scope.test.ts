// The request scope and the logger that reads it: ids on every line written for a request, the
// incident id once known, and no mixing between requests that overlap in time.

import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

import { AppError } from '../../../src/usecases/errors';
import { createLogger } from '../../../src/app/logger';
import { newRequestId, newRequestScope, noteIncident, scopedEvent, scopeOf } from '../../../src/app/request-scope';

type Line = Record<string, unknown> & { msg: string; level: string };

function capture(level: 'debug' | 'info' = 'debug') {
  const lines: Line[] = [];
  const logger = createLogger({ level, write: (line) => lines.push(JSON.parse(line) as Line) });
  return { logger, lines };
}

describe('request scope on log lines', () => {
  it('when a line is written outside any request, then it carries no request fields', () => {
    const { logger, lines } = capture();
    logger.info('startup');
    expect(lines[0]).not.toHaveProperty('requestId');
  });

  it('when lines are written for a request, then they carry its id and, on a retry, the retry number, also from a child of the scoped logger', async () => {
    const { logger, lines } = capture();
    const log = logger.scoped(newRequestScope({ requestId: 'Ev0001', retryNum: 2 }));
    log.info('first');
    await nextTurn();
    log.child({ component: 'listener' }).warn('second');
    logger.scoped(newRequestScope({ requestId: 'Ev0003', retryNum: 0 })).info('first delivery');
    logger.info('after');
    expect(lines.map((l) => [l.msg, l.requestId, l.retryNum])).toEqual([
      ['first', 'Ev0001', 2],
      ['second', 'Ev0001', 2],
      ['first delivery', 'Ev0003', undefined],
      ['after', undefined, undefined],
    ]);
    expect(lines[1].component).toBe('listener');
  });

  it('when Slack gives no id, then a short one is generated', () => {
    expect(newRequestScope({}).requestId).toMatch(/^[A-Za-z0-9_-]{7,}$/); // this process's prefix and a counter
    expect(newRequestScope({ requestId: '' }).requestId).toMatch(/^[A-Za-z0-9_-]{7,}$/);
  });

  it('when a request finds its incident, then the lines after it carry incidentId and key, and a second incident does not replace it', () => {
    const { logger, lines } = capture();
    const scope = newRequestScope({ requestId: 'r1' });
    const log = logger.scoped(scope);
    log.info('parsed');
    noteIncident(scope, 'inc-a', 'INC-1');
    log.info('stored');
    noteIncident(scope, 'inc-b', 'INC-2');
    log.info('acknowledged');
    expect(lines.map((l) => [l.msg, l.incidentId, l.incident])).toEqual([
      ['parsed', undefined, undefined],
      ['stored', 'inc-a', 'INC-1'],
      ['acknowledged', 'inc-a', 'INC-1'],
    ]);
  });

  it('when a line names its own incident, then that wins over the scope', () => {
    const { logger, lines } = capture();
    const scope = newRequestScope({ requestId: 'r1' });
    noteIncident(scope, 'inc-a');
    logger.scoped(scope).child({ incidentId: 'inc-b' }).info('effect');
    expect(lines[0]).toMatchObject({ requestId: 'r1', incidentId: 'inc-b' });
  });

  it('when two requests overlap in time, then each line carries its own request and incident, never the other', async () => {
    const { logger, lines } = capture();
    const order: string[] = [];
    async function handle(requestId: string, incidentId: string, delays: number[]): Promise<void> {
      const scope = newRequestScope({ requestId });
      const log = logger.scoped(scope);
      log.info({ step: 0 }, 'received');
      order.push(requestId);
      await sleep(delays[0]);
      noteIncident(scope, incidentId);
      log.info({ step: 1 }, 'found incident');
      order.push(requestId);
      await sleep(delays[1]);
      log.info({ step: 2 }, 'later');
      order.push(requestId);
    }
    await Promise.all([handle('req-A', 'inc-A', [5, 20]), handle('req-B', 'inc-B', [15, 1])]);
    expect(order.join(' ')).not.toMatch(/^(req-A ){3}/); // the flows really interleaved
    for (const line of lines) {
      expect(['req-A', 'req-B']).toContain(line.requestId);
      if (line.step === 0) expect(line).not.toHaveProperty('incidentId');
      else expect(line.incidentId).toBe(line.requestId === 'req-A' ? 'inc-A' : 'inc-B');
    }
    expect(lines.filter((l) => l.requestId === 'req-A')).toHaveLength(3);
  });

  it("when a scope rides on a receiver event, then Bolt's context gives it back; without one, a fresh scope", () => {
    const scope = newRequestScope({ requestId: 'Ev9' });
    const event = scopedEvent({ body: {}, ack: () => Promise.resolve(), customProperties: { other: 1 } }, scope);
    expect(event.customProperties).toMatchObject({ other: 1 });
    expect(scopeOf({ ...event.customProperties })).toBe(scope);
    expect(scopeOf({}).requestId).not.toBe('Ev9');
  });
});

describe('generated request ids', () => {
  it("when many are generated, then no two are alike and all share this process's prefix", () => {
    const ids = Array.from({ length: 10_000 }, () => newRequestId());
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.slice(0, 6))).size).toBe(1);
  });
});

describe('what reaches the log of an error', () => {
  it('when an AppError is logged, then its user-facing message (which may quote input) is left out and its code kept', () => {
    const { logger, lines } = capture();
    const error = new AppError('invalid_input', 'There is no escalation policy "Sntl-policy-secret".');
    logger.error({ err: error }, 'listener failed');
    logger.warn({ err: new Error('wrapped', { cause: error }) }, 'envelope not acknowledged');
    const text = lines.map((l) => JSON.stringify(l)).join('\n');
    expect(text).not.toContain('Sntl-policy-secret');
    expect(lines[0].err).toEqual({ name: 'AppError', code: 'invalid_input' });
    expect((lines[1].err as { cause: unknown }).cause).toEqual({ name: 'AppError', code: 'invalid_input' });
  });
});
