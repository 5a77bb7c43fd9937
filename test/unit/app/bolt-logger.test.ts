// Bolt logs through our logger at the level it chose; a warning that quotes a body it could not
// parse keeps only its first words above debug.

import { LogLevel as BoltLogLevel } from '@slack/bolt';

import { boltLogger } from '../../../src/app/bolt-logger';
import { createLogger } from '../../../src/app/logger';

function capture(level: 'debug' | 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level, write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

function parseError(body: string): string {
  try {
    JSON.parse(body);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a parse error');
}

describe('the logger Bolt gets', () => {
  it('when Bolt logs a request body at debug, then it stays at debug (absent at info)', () => {
    const body = JSON.stringify({ event: { text: 'Sntl-message-body' } });
    const atInfo = capture('info');
    boltLogger(atInfo.logger).debug(body);
    expect(atInfo.lines).toEqual([]);
    const atDebug = capture('debug');
    boltLogger(atDebug.logger).debug(body);
    expect(atDebug.lines).toEqual([expect.objectContaining({ level: 'debug', component: 'bolt', msg: body })]);
  });

  it("when Bolt warns that a body is malformed, then the parser's message (which quotes the body) is kept at debug only", () => {
    const detail = parseError('{"t":Sntl9}');
    expect(detail).toContain('Sntl9'); // what Node's JSON.parse does, hence this rule
    const { logger, lines } = capture('debug');
    boltLogger(logger).warn(`Malformed request body: ${detail}`);
    const [warn, debug] = lines;
    expect(warn).toMatchObject({ level: 'warn', msg: 'Malformed request body' });
    expect(debug).toMatchObject({ level: 'debug', msg: `Malformed request body: ${detail}` });
  });

  it('when Bolt warns about something else, then the message passes unchanged and objects become fields', () => {
    const { logger, lines } = capture('info');
    const bolt = boltLogger(logger, 'socket-mode');
    bolt.warn('Failed to parse and verify the request data: Signature mismatch');
    bolt.error({ err: new Error('boom') }, 'envelope not acknowledged');
    expect(lines[0]).toMatchObject({ level: 'warn', component: 'socket-mode', msg: 'Failed to parse and verify the request data: Signature mismatch' });
    expect(lines[1]).toMatchObject({ level: 'error', msg: 'envelope not acknowledged', err: expect.objectContaining({ message: 'boom' }) });
  });

  it('when Bolt reads the level, then it sees ours; when it sets its default, then ours stays (LOG_LEVEL decides)', () => {
    const { logger, lines } = capture('debug');
    const bolt = boltLogger(logger);
    expect(bolt.getLevel()).toBe(BoltLogLevel.DEBUG);
    bolt.setLevel(BoltLogLevel.INFO);
    expect(logger.getLevel()).toBe('debug');
    logger.child({ component: 'effects' }).debug('effect done');
    expect(lines).toHaveLength(1);
  });
});
