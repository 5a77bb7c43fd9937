// What the numbers were measured on: they only compare within one run, but this says which run.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  nproc: number;
  node: string;
  cpuModel: string;
  memoryGiB: number;
  platform: string;
  /** 1/5/15-minute load averages when the run started and ended: a busy machine shows here. */
  loadAverageStart: number[];
  loadAverageEnd?: number[];
  /** File system of the directory holding the benchmark databases (tmpfs would hide fsync costs). */
  databaseFileSystem: string;
  boltVersion: string;
  autocannonVersion: string;
}

function tryRun(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown';
  }
}

function versionOf(pkg: string, root: string): string {
  try {
    return (JSON.parse(readFileSync(`${root}/node_modules/${pkg}/package.json`, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function describeMachine(root: string, databaseDir: string): Machine {
  return {
    nproc: Number(tryRun('nproc', [])) || os.availableParallelism(),
    node: process.version,
    cpuModel: cpuModel(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
    databaseFileSystem: tryRun('stat', ['-f', '-c', '%T', databaseDir]),
    boltVersion: versionOf('@slack/bolt', root),
    autocannonVersion: versionOf('autocannon', root),
  };
}
