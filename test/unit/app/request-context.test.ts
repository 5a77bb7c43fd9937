// The request context and the logger that reads it: ids on every line written for a request,
// incident ids once known, and no mixing between requests that overlap in time.

import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

import { AppError } from '../../../src/app/errors';
import { createLogger } from '../../../src/app/logger';
import { identifyRequest, logContext, newRequestId, noteIncident, runAsJob, runInRequest } from '../../../src/app/request-context';

type Line = Record<string, unknown> & { msg: string; level: string };

function capture(level: 'debug' | 'info' = 'debug') {
  const lines: Line[] = [];
  const logger = createLogger({ level, write: (line) => lines.push(JSON.parse(line) as Line) });
  return { logger, lines };
}

describe('request context on log lines', () => {
  it('when nothing is running for a request, then lines carry no request fields', () => {
    const { logger, lines } = capture();
    logger.info('startup');
    expect(lines[0]).not.toHaveProperty('requestId');
    expect(lines[0]).not.toHaveProperty('job');
  });

  it('when a line is written inside a request, then it carries the request id and, on a retry, the retry number, also from a child made outside', async () => {
    const { logger, lines } = capture();
    const child = logger.child({ component: 'listener' });
    await runInRequest({ requestId: 'Ev0001', retryNum: 2 }, async () => {
      logger.info('first');
      await nextTurn();
      child.warn('second');
    });
    runInRequest({ requestId: 'Ev0003', retryNum: 0 }, () => logger.info('first delivery'));
    logger.info('after');
    expect(lines.map((l) => [l.msg, l.requestId, l.retryNum])).toEqual([
      ['first', 'Ev0001', 2],
      ['second', 'Ev0001', 2],
      ['first delivery', 'Ev0003', undefined],
      ['after', undefined, undefined],
    ]);
    expect(lines[1].component).toBe('listener');
  });

  it('when Slack gives no id, then a short one is generated; once the body names the event, later lines use its id', () => {
    const { logger, lines } = capture();
    runInRequest({}, () => {
      logger.debug('body not parsed yet');
      identifyRequest('Ev0002');
      logger.debug('listener');
    });
    expect(lines[0].requestId).toMatch(/^[A-Za-z0-9_-]{7,}$/); // this process's prefix and a counter
    expect(lines[1].requestId).toBe('Ev0002');
    identifyRequest('EvOutside');
    expect(logContext()).toEqual({});
  });

  it('when a request finds its incident, then the lines after it carry incidentId and key, and a second incident does not replace it', () => {
    const { logger, lines } = capture();
    runInRequest({ requestId: 'r1' }, () => {
      logger.info('parsed');
      noteIncident('inc-a', 'INC-1');
      logger.info('stored');
      noteIncident('inc-b', 'INC-2');
      logger.info('acknowledged');
    });
    expect(lines.map((l) => [l.msg, l.incidentId, l.incident])).toEqual([
      ['parsed', undefined, undefined],
      ['stored', 'inc-a', 'INC-1'],
      ['acknowledged', 'inc-a', 'INC-1'],
    ]);
  });

  it('when a line names its own incident, then that wins over the request context', () => {
    const { logger, lines } = capture();
    runInRequest({ requestId: 'r1' }, () => {
      noteIncident('inc-a');
      logger.child({ incidentId: 'inc-b' }).info('effect');
    });
    expect(lines[0]).toMatchObject({ requestId: 'r1', incidentId: 'inc-b' });
  });

  it('when two requests overlap in time, then each line carries its own request and incident, never the other', async () => {
    const { logger, lines } = capture();
    const order: string[] = [];
    async function handle(requestId: string, incidentId: string, delays: number[]): Promise<void> {
      await runInRequest({ requestId }, async () => {
        logger.info({ step: 0 }, 'received');
        order.push(requestId);
        await sleep(delays[0]);
        noteIncident(incidentId);
        logger.info({ step: 1 }, 'found incident');
        order.push(requestId);
        // A callback and a timer scheduled from inside keep the request they were scheduled in.
        await new Promise<void>((resolve) =>
          setTimeout(() => {
            logger.info({ step: 2 }, 'timer');
            order.push(requestId);
            resolve();
          }, delays[1]),
        );
        await Promise.all([sleep(delays[2]).then(() => logger.info({ step: 3 }, 'in parallel')), nextTurn().then(() => logger.info({ step: 3 }, 'in parallel'))]);
        order.push(requestId);
      });
    }
    await Promise.all([handle('req-A', 'inc-A', [5, 20, 1]), handle('req-B', 'inc-B', [15, 1, 10])]);

    // The flows really interleaved: B found its incident between A's steps.
    expect(order.join(' ')).not.toMatch(/^(req-A ){4}/);
    expect(new Set(order.slice(0, 4))).toEqual(new Set(['req-A', 'req-B']));
    for (const line of lines) {
      const expected = line.requestId === 'req-A' ? 'inc-A' : 'inc-B';
      expect(['req-A', 'req-B']).toContain(line.requestId);
      if (line.step === 0) expect(line).not.toHaveProperty('incidentId');
      else expect(line.incidentId).toBe(expected);
    }
    expect(lines.filter((l) => l.requestId === 'req-A')).toHaveLength(5);
    expect(lines.filter((l) => l.requestId === 'req-B')).toHaveLength(5);
  });

  it('when background work is started from inside a request, then it and its timers log as the job, not as the request', async () => {
    const { logger, lines } = capture();
    let later: Promise<void> = Promise.resolve();
    runInRequest({ requestId: 'r1' }, () => {
      noteIncident('inc-a');
      later = runAsJob('effects', () => sleep(1).then(() => logger.info('effect ran')));
      // A job cannot be filed under an incident: it works for many.
      runAsJob('effects', () => noteIncident('inc-b'));
    });
    await later;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ job: 'effects', msg: 'effect ran' });
    expect(lines[0]).not.toHaveProperty('requestId');
    expect(lines[0]).not.toHaveProperty('incidentId');
  });
});

describe('generated request ids', () => {
  it('when many are generated, then no two are alike and all share this process\'s prefix', () => {
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
