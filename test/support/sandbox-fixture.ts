// One sandbox per test: the real app on a loopback port, the emulated Slack, a fresh database.

import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/sandbox';

export const PEOPLE = {
  ann: { id: 'U0ANN', name: 'ann', realName: 'Ann Example' },
  bob: { id: 'U0BOB', name: 'bob', realName: 'Bob Example', email: 'Bob@Acme.example' },
  cid: { id: 'U0CID', name: 'cid', realName: 'Cid Example' },
};

export interface Fixture extends Sandbox {
  /** A public channel everyone is in, to declare incidents from. */
  generalId: string;
  logs: string[];
  /** Declares an incident from #general and returns its channel id once set up. */
  declare(text: string, userId?: string): Promise<{ channelId: string; response: { status: number; body: string } }>;
}

export async function startFixture(options: SandboxOptions = {}): Promise<Fixture> {
  const logs: string[] = [];
  const sandbox = await startSandbox({ logLevel: 'debug', logSink: (line) => logs.push(line), ...options });
  for (const person of Object.values(PEOPLE)) sandbox.emulator.addUser(person);
  const general = sandbox.emulator.createChannel({ name: 'general', members: Object.values(PEOPLE).map((p) => p.id) });
  return {
    ...sandbox,
    generalId: general.id,
    logs,
    async declare(text: string, userId = PEOPLE.ann.id) {
      const before = new Set((await sandbox.store.listOpenIncidents(sandbox.emulator.identity.teamId)).map((i) => i.id));
      const response = await sandbox.actor.slashCommand(userId, general.id, `start ${text}`);
      await sandbox.settle();
      const created = (await sandbox.store.listOpenIncidents(sandbox.emulator.identity.teamId)).find((i) => !before.has(i.id));
      if (!created?.chat) throw new Error(`no incident channel after /incident start ${text}: ${response.status} ${response.body}`);
      return { channelId: created.chat.channelId, response };
    },
  };
}

export function ackText(response: { body: string }): string {
  if (!response.body) return '';
  const parsed = JSON.parse(response.body) as { text?: string };
  return parsed.text ?? '';
}
