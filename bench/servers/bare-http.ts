// Baseline (b): the least any Slack endpoint must do. node:http reads the body, checks the v0
// signature (HMAC-SHA256 over `v0:<timestamp>:<raw body>`, timing-safe compare, timestamp within
// five minutes, as Bolt does) and answers 200 with an empty body.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { SANDBOX_SIGNING_SECRET } from '../../src/sandbox/sandbox';
import { serve } from '../lib/child';

function verified(request: IncomingMessage, body: string): boolean {
  const timestamp = request.headers['x-slack-request-timestamp'];
  const signature = request.headers['x-slack-signature'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`v0=${createHmac('sha256', SANDBOX_SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const ok = verified(request, Buffer.concat(chunks).toString('utf8'));
    response.writeHead(ok ? 200 : 401, { 'content-length': '0' });
    response.end();
  });
}

const server = createServer(handle);
server.listen(0, '127.0.0.1', () => {
  serve({ type: 'ready', port: (server.address() as AddressInfo).port }, {}, () => new Promise<void>((resolve) => server.close(() => resolve())));
});
