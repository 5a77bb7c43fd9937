// The Dockerfile cannot be built here (no Docker engine), so it is linted: dockerfile-utils for
// syntax and instruction arguments, plus the project's rules from issue #7 (see
// test/support/dockerfile-rules.ts). The broken variants prove each rule can fail.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { dockerfileFindings, formatFinding, projectFacts, type Finding } from '../support/dockerfile-rules';

const ROOT = resolve(__dirname, '../..');
const facts = projectFacts(ROOT);
const rules = (findings: Finding[]) => [...new Set(findings.map((f) => f.rule))].sort();

/** A small Dockerfile that meets every rule: the broken variants below each change one thing. */
const GOOD = `# syntax=docker/dockerfile:1
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV PORT=3000 SQLITE_PATH=/data/incidents.db
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK CMD node -e "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/index.js"]
`;

function broken(from: string, to: string): string {
  if (!GOOD.includes(from)) throw new Error(`the good Dockerfile has no ${JSON.stringify(from)}`);
  return GOOD.replace(from, to);
}

describe('the Dockerfile', () => {
  it('passes dockerfile-utils and the project rules', () => {
    const findings = dockerfileFindings(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'), facts);
    expect(findings.map(formatFinding)).toEqual([]);
  });

  it('runs what `npm run build` makes: tsconfig.build.json compiles src/index.ts to dist/index.js, the package main', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };
    expect(facts.builtEntry).toBe('dist/index.js');
    expect(pkg.main).toBe(facts.builtEntry);
    expect(pkg.scripts.build).toContain('tsconfig.build.json');
    expect(facts.nodeMajor).toBe('20');
  });
});

describe('the Dockerfile checks catch', () => {
  it('nothing in a Dockerfile that meets every rule', () => {
    expect(dockerfileFindings(GOOD, facts).map(formatFinding)).toEqual([]);
  });

  it.each([
    ['no USER (runs as root)', broken('USER node\n', ''), ['user']],
    ['USER root', broken('USER node', 'USER root'), ['user']],
    ['USER set after CMD', broken('USER node\n', '').replace(/(CMD \[.*\]\n)$/, '$1USER node\n'), ['user']],
    ['a latest base image', broken('FROM node:20-bookworm-slim AS build', 'FROM node:latest AS build'), ['base-image', 'pinned-tag']],
    ['an untagged base image', broken('FROM node:20-bookworm-slim\nENV', 'FROM node\nENV'), ['base-image', 'pinned-tag']],
    ['a base image other than the official node 20 slim', broken('FROM node:20-bookworm-slim\nENV', 'FROM node:20-bookworm\nENV'), ['base-image']],
    ['a shell-form CMD', broken('CMD ["node", "dist/index.js"]', 'CMD node dist/index.js'), ['cmd-exec-form']],
    ['a CMD of the TypeScript source', broken('CMD ["node", "dist/index.js"]', 'CMD ["node", "src/index.ts"]'), ['cmd-exec-form']],
    ['the build output not copied into the final stage', broken('COPY --from=build /app/dist ./dist\n', ''), ['cmd-exec-form']],
    ['a missing HEALTHCHECK', broken(/HEALTHCHECK .*\n/.exec(GOOD)![0], ''), ['healthcheck']],
    ['a HEALTHCHECK of another path', broken('/healthz', '/'), ['healthcheck']],
    ['a VOLUME that is not where SQLITE_PATH points', broken('VOLUME ["/data"]', 'VOLUME ["/var/lib/bot"]'), ['volume']],
    ['no SQLITE_PATH in the final stage', broken(' SQLITE_PATH=/data/incidents.db', ''), ['volume']],
    ['npm install instead of npm ci', broken('RUN npm ci', 'RUN npm install'), ['npm-ci']],
    ['npm ci before the lock file is copied', broken('COPY package.json package-lock.json ./\nRUN npm ci', 'RUN npm ci\nCOPY package.json package-lock.json ./'), ['npm-ci']],
    ['no build', broken('npm run build && ', ''), ['build', 'prune-dev']],
    ['dev dependencies kept', broken(' && npm prune --omit=dev', ''), ['prune-dev']],
    [
      'a single stage',
      GOOD.slice(0, GOOD.indexOf('\nFROM node:20-bookworm-slim\n')) + '\nUSER node\nCMD ["node", "dist/index.js"]\n',
      ['cmd-exec-form', 'expose', 'healthcheck', 'stages', 'volume'],
    ],
    ['apt-get without --no-install-recommends and list cleanup', broken(' --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*', ' python3'), ['apt']],
    ['a COPY of a file the repository does not have', broken('COPY src ./src', 'COPY src config.yaml ./'), ['copy-source']],
    ['a COPY of a path .dockerignore excludes', broken('COPY src ./src', 'COPY src ./src\nCOPY test ./test'), ['copy-source']],
    ['ADD of local files', broken('COPY src ./src', 'ADD src ./src'), ['copy-source']],
    ['an EXPOSE that is not PORT', broken('EXPOSE 3000', 'EXPOSE 8080'), ['expose']],
    ['an unknown HEALTHCHECK flag (dockerfile-utils)', broken('HEALTHCHECK CMD', 'HEALTHCHECK --intervl=30s CMD'), ['dockerfile-utils:42']],
    ['a relative WORKDIR (dockerfile-utils)', broken('WORKDIR /app\nRUN apt-get', 'WORKDIR app\nRUN apt-get'), ['dockerfile-utils:50']],
  ])('%s', (_what, dockerfile, expected) => {
    const findings = dockerfileFindings(dockerfile, facts);
    expect(rules(findings)).toEqual(expected);
    for (const finding of findings) expect(formatFinding(finding)).toMatch(/^Dockerfile:\d+ \[[\w:-]+\] \S/);
  });
});
