import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUBCOMMANDS } from '../../../src/commands/grammar';

// The README's command table is what a new user reads; it must say what /incident help says.
function readmeCommandCells(): string[] {
  const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
  const section = readme.split(/^## Commands$/m)[1]?.split(/^## /m)[0] ?? '';
  return [...section.matchAll(/^\| `(\/incident [^`]*)` \|/gm)].map((match) => (match[1] ?? '').replace(/\\\|/g, '|'));
}

describe('the README commands table', () => {
  it('when compared with the parser registry, then it lists every usage line exactly once and nothing else', () => {
    const usages = Object.values(SUBCOMMANDS).map((spec) => spec.usage);
    const cells = readmeCommandCells();
    expect([...cells].sort()).toEqual([...usages].sort());
  });
});
