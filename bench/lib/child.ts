// Forks one of the bench servers (compiled JS next to this file) and talks to it over IPC.

import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

import type { Command, Ready, Replies, Reply, Request } from './protocol';

export interface ServerChild {
  ready: Ready;
  url: string;
  pid: number;
  call<K extends Command>(cmd: K): Promise<Replies[K]>;
  stop(): Promise<void>;
}

/** `name` is a file in ../servers; `args` go to its argv; `execArgv` e.g. `--cpu-prof`. */
export async function startServer(name: string, args: string[] = [], execArgv: string[] = []): Promise<ServerChild> {
  const child = fork(join(__dirname, '..', 'servers', `${name}.js`), args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('error', reject);
    void exited.then((code) => reject(new Error(`bench server ${name} exited (${code}) before it was ready`)));
    child.on('message', (message: Ready | Reply) => {
      if ('type' in message) return resolve(message);
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.ok) waiter?.resolve(message.value);
      else waiter?.reject(new Error(`${name}: ${message.error}`));
    });
  });

  function call<K extends Command>(cmd: K): Promise<Replies[K]> {
    const request: Request = { id: nextId++, cmd };
    return new Promise<Replies[K]>((resolve, reject) => {
      // Both ends are ours: the child answers `cmd` with Replies[cmd].
      pending.set(request.id, { resolve: (value) => resolve(value as Replies[K]), reject });
      send(child, request);
    });
  }

  return {
    ready,
    url: `http://127.0.0.1:${ready.port}`,
    pid: child.pid ?? -1,
    call,
    async stop() {
      if (child.exitCode !== null) return;
      await call('stop').catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function send(child: ChildProcess, request: Request): void {
  child.send(request);
}

/** The child's side: answers commands with `handlers` until `stop`, then exits. */
export function serve(ready: Ready, handlers: { [K in Command]?: () => Promise<Replies[K]> | Replies[K] }, onStop: () => Promise<void>): void {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const loop = (): Replies['loop'] => {
    const stats = { p50Ms: delay.percentile(50) / 1e6, p99Ms: delay.percentile(99) / 1e6, maxMs: delay.max / 1e6 };
    delay.reset();
    return stats;
  };
  process.on('message', (request: Request) => {
    void (async () => {
      try {
        if (request.cmd === 'stop') {
          await onStop();
          // Exit once the answer is out: timers left by libraries must not keep the child alive.
          process.send?.({ id: request.id, ok: true, value: null } satisfies Reply, () => process.exit(0));
          return;
        }
        const builtIn = { memory: memoryStats, loop, cpu: cpuMicros } as const;
        const handler = handlers[request.cmd] ?? (request.cmd in builtIn ? builtIn[request.cmd as keyof typeof builtIn] : undefined);
        if (!handler) throw new Error(`no handler for ${request.cmd}`);
        process.send?.({ id: request.id, ok: true, value: await handler() } satisfies Reply);
      } catch (error) {
        process.send?.({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies Reply);
      }
    })();
  });
  process.send?.(ready);
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

export function memoryStats(): Replies['memory'] {
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed, maxRss: process.resourceUsage().maxRSS * 1024 };
}
