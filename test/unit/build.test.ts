// The shipped build is the product alone: the emulators (src/sandbox) and the demo (src/demo) are
// development tools, built for `npm run demo` by tsconfig.demo.json, never into dist/.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '../..');

function filesCompiledBy(tsconfig: string): string[] {
  const out = execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', tsconfig, '--listFilesOnly'], { cwd: ROOT, encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.includes('node_modules'))
    .map((file) => relative(ROOT, file));
}

describe('the product build', () => {
  it('when `npm run build` compiles, then no file of the sandbox or the demo is in it (not even by an import)', () => {
    const files = filesCompiledBy('tsconfig.build.json');
    expect(files).toContain('src/index.ts');
    expect(files.filter((f) => f.startsWith('src/sandbox/') || f.startsWith('src/demo/'))).toEqual([]);
  });

  it('when the demo is built, then it has the sandbox and the demo', () => {
    const files = filesCompiledBy('tsconfig.demo.json');
    expect(files).toEqual(expect.arrayContaining(['src/demo/run-demo.ts', 'src/sandbox/sandbox.ts']));
  });

  it('when the image installs production dependencies, then the emulators’ WebSocket server is not among them', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(pkg.dependencies).not.toHaveProperty('ws');
    expect(pkg.devDependencies).toHaveProperty('ws');
    expect(pkg.scripts.demo).toContain('tsconfig.demo.json');
  });
});
