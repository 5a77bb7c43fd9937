// Tests talk only to servers they start on loopback. Any other destination is a bug in a test
// (or a leak of production defaults), so it fails loudly instead of reaching the internet.
import net from 'node:net';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/;

function hostOf(args: unknown[]): string | undefined {
  const first = args[0];
  if (first && typeof first === 'object') {
    const opts = first as { host?: string; path?: string };
    if (opts.path) return 'localhost'; // unix socket
    return opts.host ?? 'localhost';
  }
  if (typeof first === 'number') return typeof args[1] === 'string' ? args[1] : 'localhost';
  if (typeof first === 'string') return 'localhost'; // unix socket path
  return undefined;
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function patchedConnect(this: net.Socket, ...args: unknown[]) {
  const host = hostOf(args);
  if (host !== undefined && !LOOPBACK.test(host)) {
    throw new Error(`Outbound network call to ${host} blocked in tests`);
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- connect has many overloads; we forward them untouched
  return (originalConnect as any).apply(this, args);
} as typeof net.Socket.prototype.connect;
