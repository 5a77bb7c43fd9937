import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/config';

const ROOT = join(__dirname, '../../..');

function envExample(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(join(ROOT, '.env.example'), 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    // An empty value in the example means "unset", as a dotenv loader leaves it.
    if (match?.[1] && match[2]) env[match[1]] = match[2];
  }
  return env;
}

describe('.env.example', () => {
  it('when loaded as it ships, then it is valid and says the same as the defaults', () => {
    const env = envExample();
    const required = { SLACK_BOT_TOKEN: env.SLACK_BOT_TOKEN ?? '', SLACK_SIGNING_SECRET: env.SLACK_SIGNING_SECRET ?? '' };
    expect(loadConfig(env)).toEqual(loadConfig(required));
  });

  it('when read beside the README, then every variable it names is documented in the configuration table', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const firstCells = [...readme.matchAll(/^\| (`[A-Z0-9_]+`(?:, `[A-Z0-9_]+`)*) \|/gm)].map((match) => match[1] ?? '');
    const documented = new Set(firstCells.flatMap((cell) => cell.match(/[A-Z0-9_]+/g) ?? []));
    const names = readFileSync(join(ROOT, '.env.example'), 'utf8').match(/^[A-Z0-9_]+(?==)/gm) ?? [];
    expect(names.filter((name) => !documented.has(name))).toEqual([]);
  });
});
