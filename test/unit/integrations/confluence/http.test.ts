import { ConfluenceHttp, parseRetryAfter, waitBeforeRetry } from '../../../../src/integrations/confluence/http';
import { type LocalServer, recordingSleep, rejectionOf, sequence, startLocalServer } from './local-server';

const OK = { status: 200, json: { ok: true } };

describe('Confluence HTTP client', () => {
  let server: LocalServer;
  let recorder: ReturnType<typeof recordingSleep>;

  function client(options: { maxRetries?: number; timeoutMs?: number; baseUrl?: string } = {}): ConfluenceHttp {
    const { baseUrl = server.url, ...rest } = options;
    return new ConfluenceHttp({ baseUrl, authorization: 'Bearer secret-token-1234', secrets: ['secret-token-1234'] }, { sleep: recorder.sleep, ...rest });
  }

  beforeEach(async () => {
    server = await startLocalServer();
    recorder = recordingSleep();
  });
  afterEach(() => server.close());

  describe('retries', () => {
    it('when Confluence answers 429 with Retry-After: 2, then the client waits 2000 ms and tries again', async () => {
      server.handle(sequence({ status: 429, headers: { 'Retry-After': '2' }, json: { message: 'Rate limited' } }, OK));

      expect(await client().request('GET', '/rest/api/space/OPS')).toEqual({ ok: true });

      expect(recorder.waits).toEqual([2000]);
      expect(server.requests).toHaveLength(2);
    });

    it('when Retry-After is an HTTP date, then the client waits until then', async () => {
      const at = new Date(Date.now() + 5000).toUTCString();
      server.handle(sequence({ status: 429, headers: { 'Retry-After': at }, json: {} }, OK));

      await client().request('GET', '/x');

      expect(recorder.waits).toHaveLength(1);
      expect(recorder.waits[0]).toBeGreaterThan(3000);
      expect(recorder.waits[0]).toBeLessThanOrEqual(5000);
    });

    it('when Confluence answers 503 twice, then the client backs off 1 s then 2 s and succeeds', async () => {
      server.handle(sequence({ status: 503, text: 'Service Unavailable' }, { status: 503, text: 'Service Unavailable' }, OK));

      expect(await client().request('PUT', '/x', { body: { a: 1 } })).toEqual({ ok: true });

      expect(recorder.waits).toEqual([1000, 2000]);
      expect(server.requests.map((r) => r.body)).toEqual([{ a: 1 }, { a: 1 }, { a: 1 }]);
    });

    it('when Confluence keeps failing with 500, then the client gives up after 3 retries with server_error', async () => {
      server.handle(() => ({ status: 500, json: { statusCode: 500, message: 'java.lang.NullPointerException' } }));

      const error = await rejectionOf(client().request('GET', '/x'));

      expect(error).toMatchObject({ code: 'server_error', status: 500, transient: true });
      expect(server.requests).toHaveLength(4);
      expect(recorder.waits).toEqual([1000, 2000, 4000]);
    });

    it('when rate limiting outlasts the retries, then rate_limited carries the last Retry-After for the caller', async () => {
      server.handle(() => ({ status: 429, headers: { 'Retry-After': '3' }, json: {} }));

      const error = await rejectionOf(client({ maxRetries: 1 }).request('GET', '/x'));

      expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryAfterMs: 3000 });
      expect(server.requests).toHaveLength(2);
    });

    it('when Retry-After is beyond the 30 s cap, then the client does not hold the request and hands the wait to the caller', async () => {
      server.handle(() => ({ status: 429, headers: { 'Retry-After': '120' }, json: {} }));

      const error = await rejectionOf(client().request('GET', '/x'));

      expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 120_000 });
      expect(server.requests).toHaveLength(1);
      expect(recorder.waits).toEqual([]);
    });

    it('when the server cannot be reached, then the client retries and ends with network', async () => {
      const closed = await startLocalServer();
      const url = closed.url;
      await closed.close();

      const error = await rejectionOf(client({ baseUrl: url }).request('GET', '/x'));

      expect(error).toMatchObject({ code: 'network', message: expect.stringContaining('ECONNREFUSED') });
      expect(recorder.waits).toEqual([1000, 2000, 4000]);
    });

    it('when the server does not answer in time, then the attempt times out as a network error', async () => {
      server.handle(() => ({ hang: true }));

      const error = await rejectionOf(client({ maxRetries: 0, timeoutMs: 100 }).request('GET', '/x'));

      expect(error).toMatchObject({ code: 'network', message: expect.stringContaining('timed out after 100 ms') });
    });

    it('when a 4xx comes back, then it is never retried', async () => {
      server.handle(() => ({ status: 400, json: { message: 'nope' } }));

      await rejectionOf(client().request('POST', '/x', { body: {} }));

      expect(server.requests).toHaveLength(1);
      expect(recorder.waits).toEqual([]);
    });
  });

  describe('errors', () => {
    it('when a 400 is not a title clash, then bad_request carries Confluence message, truncated, and never the request body', async () => {
      server.handle(() => ({ status: 400, json: { errors: [{ status: 400, code: 'INVALID_REQUEST_PARAMETER', title: `Invalid body ${'x'.repeat(500)}`, detail: null }] } }));

      const error = (await rejectionOf(client().request('POST', '/wiki/api/v2/pages', { body: { value: 'SENSITIVE-POSTMORTEM-TEXT' } }))) as Error;

      expect(error).toMatchObject({ code: 'bad_request', status: 400 });
      expect(error.message).toContain('POST /wiki/api/v2/pages');
      expect(error.message).toContain('Invalid body xxx');
      expect(error.message.length).toBeLessThan(320);
      expect(error.message).not.toContain('SENSITIVE-POSTMORTEM-TEXT');
    });

    it('when a 409 body says the title exists, then it is title_taken rather than version_conflict', async () => {
      server.handle(() => ({ status: 409, json: { message: 'A page with this title already exists: …' } }));

      expect(await rejectionOf(client().request('PUT', '/x', { body: {} }))).toMatchObject({ code: 'title_taken', status: 409 });
    });

    it('when a proxy answers with an HTML error page, then the message leaves the HTML out', async () => {
      server.handle(() => ({ status: 502, text: '<html><body>Bad Gateway</body></html>' }));

      const error = (await rejectionOf(client({ maxRetries: 0 }).request('GET', '/x'))) as Error;

      expect(error).toMatchObject({ code: 'server_error', status: 502 });
      expect(error.message).not.toContain('<html>');
    });

    it('when a success carries a body that is not JSON, then it is invalid_response', async () => {
      server.handle(() => ({ status: 200, text: 'hello' }));

      expect(await rejectionOf(client().request('GET', '/x'))).toMatchObject({ code: 'invalid_response' });
    });
  });

  describe('wait arithmetic', () => {
    it('when Retry-After is seconds, a date, or junk, then it reads as ms, ms until then, or nothing', () => {
      const now = Date.parse('2025-01-01T00:00:00Z');
      expect(parseRetryAfter('2', now)).toBe(2000);
      expect(parseRetryAfter('0.5', now)).toBe(500);
      expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:07 GMT', now)).toBe(7000);
      expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
      expect(parseRetryAfter('soon', now)).toBeUndefined();
      expect(parseRetryAfter(null, now)).toBeUndefined();
    });

    it('when no Retry-After is given, then backoff doubles from 1 s and stops growing at 30 s', () => {
      expect([0, 1, 2, 3, 4, 5, 6].map((n) => waitBeforeRetry(n, undefined))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
      expect(waitBeforeRetry(0, 30_000)).toBe(30_000);
      expect(waitBeforeRetry(0, 30_001)).toBeUndefined();
    });
  });
});
