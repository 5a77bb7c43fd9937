// Dockerfile checks. hadolint cannot be installed here, so the generic part is dockerfile-utils (the
// validator behind VS Code's Docker language service: syntax, flags, instruction arguments), and
// the project's own requirements (issue #7) are rules over the dockerfile-ast parse, in the spirit
// of hadolint's: pinned official base images, npm ci from the lock file, a non-root user, a
// health check, a volume for the database, an exec-form CMD of the built entry.

import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

import { DockerfileParser, type Copy, type Env, type From, type Healthcheck, type Instruction, type JSONInstruction } from 'dockerfile-ast';
import { validate, ValidationSeverity } from 'dockerfile-utils';

export interface Finding {
  rule: string;
  /** 1-based. */
  line: number;
  message: string;
}

export function formatFinding(f: Finding): string {
  return `Dockerfile:${f.line} [${f.rule}] ${f.message}`;
}

/** What the Dockerfile must agree with, read from the repository. */
export interface ProjectFacts {
  root: string;
  /** The major version of the official node image (from package.json engines). */
  nodeMajor: string;
  /** The compiled output directory, relative to the build context (tsconfig.build.json `outDir`). */
  outDir: string;
  /** What `npm run build` makes of src/index.ts, relative to the build context. */
  builtEntry: string;
  healthPath: string;
  /** The environment variable naming the SQLite file. */
  sqlitePathVariable: string;
}

export function projectFacts(root: string): ProjectFacts {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines?: { node?: string } };
  const build = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as { compilerOptions?: { outDir?: string; rootDir?: string } };
  const outDir = posix.normalize(build.compilerOptions?.outDir ?? 'dist');
  const rootDir = posix.normalize(build.compilerOptions?.rootDir ?? '.');
  const nodeMajor = /\d+/.exec(pkg.engines?.node ?? '')?.[0] ?? '';
  return {
    root,
    nodeMajor,
    outDir,
    builtEntry: posix.join(outDir, posix.relative(rootDir, 'src/index.ts').replace(/\.ts$/, '.js')),
    healthPath: '/healthz',
    sqlitePathVariable: 'SQLITE_PATH',
  };
}

/** dockerfile-utils with every optional check on: any diagnostic is a finding. */
export function linterFindings(content: string): Finding[] {
  const all = ValidationSeverity.ERROR;
  const diagnostics = validate(content, {
    deprecatedMaintainer: all,
    directiveCasing: all,
    emptyContinuationLine: all,
    instructionCasing: all,
    instructionCmdMultiple: all,
    instructionEntrypointMultiple: all,
    instructionHealthcheckMultiple: all,
    instructionJSONInSingleQuotes: all,
    instructionWorkdirRelative: all,
  });
  return diagnostics.map((d) => ({
    rule: `dockerfile-utils:${String(d.code)}`,
    line: d.range.start.line + 1,
    message: typeof d.message === 'string' ? d.message : d.message.value,
  }));
}

interface Stage {
  from: From;
  name?: string;
  instructions: Instruction[];
}

const lineOf = (i: Instruction): number => i.getRange().start.line + 1;

function stagesOf(content: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(content).getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const from = instruction as From;
      stages.push({ from, name: from.getBuildStage() ?? undefined, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

const ofKind = <T extends Instruction>(stage: Stage, keyword: string): T[] => stage.instructions.filter((i) => i.getKeyword() === keyword) as T[];

/** A RUN's command as the shell sees it (continuations joined), exec form included. */
function commandOf(run: Instruction): string {
  const json = (run as JSONInstruction).getJSONStrings?.() ?? [];
  return json.length ? json.map((s) => s.getJSONValue()).join(' ') : (run.getArgumentsContent() ?? '');
}

/** The stage's working directory at an instruction (WORKDIR may be relative to the previous one). */
function workdirAt(stage: Stage, line: number): string {
  let dir = '/';
  for (const w of ofKind(stage, 'WORKDIR')) if (lineOf(w) < line) dir = posix.resolve(dir, w.getArgumentsContent() ?? '');
  return dir;
}

function envOf(stage: Stage): Map<string, string> {
  const env = new Map<string, string>();
  for (const e of ofKind<Env>(stage, 'ENV')) for (const p of e.getProperties()) env.set(p.getName(), p.getUnescapedValue() ?? '');
  return env;
}

/** COPY/ADD sources and destination, JSON or shell form. */
function copyParts(copy: Instruction): { sources: string[]; dest: string } {
  const json = (copy as JSONInstruction).getJSONStrings();
  const values = json.length ? json.map((s) => s.getJSONValue()) : copy.getArguments().map((a) => a.getValue());
  return { sources: values.slice(0, -1), dest: values.at(-1) ?? '' };
}

/** .dockerignore entries as matchers (no negations: the project uses none). */
function dockerignore(root: string): ((path: string) => boolean)[] {
  const file = join(root, '.dockerignore');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/^\/+|\/+$/g, ''))
    .filter((line) => line && !line.startsWith('#') && !line.startsWith('!'))
    .map((pattern) => {
      const glob = new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*\*/g, '\uE000')
          .replace(/\*/g, '[^/]*')
          .replace(/\?/g, '[^/]')
          .replace(/\uE000/g, '.*')}(/.*)?$`,
      );
      return (path: string) => glob.test(path);
    });
}

function baseImageFindings(stages: Stage[], facts: ProjectFacts): Finding[] {
  const findings: Finding[] = [];
  const earlier = new Set<string>();
  for (const { from, name } of stages) {
    const image = from.getImageName() ?? '';
    const line = lineOf(from);
    if (!earlier.has(image.toLowerCase())) {
      const tag = from.getImageTag();
      if (!from.getImageDigest() && (!tag || tag === 'latest'))
        findings.push({ rule: 'pinned-tag', line, message: `${from.getImage() ?? ''}: pin the base image to a version tag (or digest), not ${tag ?? 'an implicit'} latest` });
      const registry = from.getRegistry();
      const official = (!registry || registry === 'docker.io') && (image === 'node' || image === 'library/node');
      const slim = new RegExp(`^${facts.nodeMajor}(\\.\\d+){0,2}(-[a-z]+)?-slim$`).test(tag ?? '');
      if (!official || !slim)
        findings.push({
          rule: 'base-image',
          line,
          message: `${from.getImage() ?? ''}: use the official node:${facts.nodeMajor} slim image (e.g. node:${facts.nodeMajor}-bookworm-slim)`,
        });
    }
    if (name) earlier.add(name.toLowerCase());
  }
  return findings;
}

function buildFindings(stages: Stage[], final: Stage): Finding[] {
  const findings: Finding[] = [];
  const runs = stages.flatMap((stage) => ofKind(stage, 'RUN').map((run) => ({ stage, run, command: commandOf(run) })));
  for (const { run, command } of runs) {
    if (/\bnpm\s+(install|i)\b/.test(command)) findings.push({ rule: 'npm-ci', line: lineOf(run), message: 'use `npm ci` (installs exactly the lock file), not `npm install`' });
  }
  const ci = runs.find((r) => /\bnpm\s+ci\b/.test(r.command));
  if (!ci) {
    findings.push({ rule: 'npm-ci', line: lineOf(final.from), message: 'no `npm ci`: dependencies must be installed from package-lock.json' });
  } else {
    const lockCopied = ofKind(ci.stage, 'COPY').some((c) => lineOf(c) < lineOf(ci.run) && copyParts(c).sources.some((s) => posix.basename(s) === 'package-lock.json'));
    if (!lockCopied) findings.push({ rule: 'npm-ci', line: lineOf(ci.run), message: '`npm ci` runs before package-lock.json is copied into the stage' });
  }
  const build = runs.find((r) => /\bnpm\s+run\s+build\b/.test(r.command));
  if (!build) findings.push({ rule: 'build', line: lineOf(final.from), message: 'no `npm run build`: the image must run the compiled code' });
  // In the build's stage after the build, or a production-only install in the final stage.
  const buildScript = build
    ? runs
        .filter((r) => r.stage === build.stage)
        .map((r) => r.command)
        .join('\n')
    : '';
  const pruneAt = buildScript.search(/\bnpm\s+prune\b[^&;|\n]*--(omit=dev|production)\b/);
  const pruned =
    (pruneAt >= 0 && pruneAt > buildScript.search(/\bnpm\s+run\s+build\b/)) ||
    runs.some((r) => r.stage === final && /\bnpm\s+ci\b[^&;|\n]*--(omit=dev|production)\b/.test(r.command));
  if (!pruned)
    findings.push({
      rule: 'prune-dev',
      line: lineOf(final.from),
      message: 'dev dependencies reach the final image: `npm prune --omit=dev` after the build (or `npm ci --omit=dev` in the final stage)',
    });
  return findings;
}

function aptFindings(stages: Stage[]): Finding[] {
  const findings: Finding[] = [];
  for (const run of stages.flatMap((s) => ofKind(s, 'RUN'))) {
    const command = commandOf(run);
    if (!/\bapt-get\s+install\b/.test(command)) continue;
    const line = lineOf(run);
    if (!/--no-install-recommends\b/.test(command)) findings.push({ rule: 'apt', line, message: 'apt-get install without --no-install-recommends' });
    if (!/apt-get\s+install\b[^&;|]*\s(-y|--yes|--assume-yes|-qq)\b/.test(command))
      findings.push({ rule: 'apt', line, message: 'apt-get install without -y (the build cannot answer prompts)' });
    if (!/\bapt-get\s+update\b/.test(command)) findings.push({ rule: 'apt', line, message: 'apt-get install without apt-get update in the same RUN (a cached, stale index)' });
    if (!/rm\s+-(rf|fr)\s+\/var\/lib\/apt\/lists/.test(command))
      findings.push({ rule: 'apt', line, message: 'apt lists not removed in the same RUN (rm -rf /var/lib/apt/lists/*)' });
  }
  return findings;
}

function copySourceFindings(stages: Stage[], facts: ProjectFacts): Finding[] {
  const findings: Finding[] = [];
  const ignored = dockerignore(facts.root);
  for (const stage of stages) {
    for (const add of ofKind(stage, 'ADD')) {
      if (copyParts(add).sources.some((s) => !/^(https?:|git@)/.test(s) && !/\.(tar|tgz|tar\.\w+)$/.test(s))) {
        findings.push({ rule: 'copy-source', line: lineOf(add), message: 'ADD of local files: use COPY' });
      }
    }
    for (const copy of ofKind<Copy>(stage, 'COPY')) {
      if (copy.getFromFlag()) continue;
      for (const source of copyParts(copy).sources) {
        const path = posix.normalize(source).replace(/^(\.\/|\/)+|\/+$/g, '');
        if (/[*?[]/.test(path)) continue; // globs: Docker fails on no match by itself
        if (!existsSync(join(facts.root, path))) findings.push({ rule: 'copy-source', line: lineOf(copy), message: `COPY ${source}: no such file in the repository` });
        else if (ignored.some((matches) => matches(path)))
          findings.push({ rule: 'copy-source', line: lineOf(copy), message: `COPY ${source}: excluded from the build context by .dockerignore` });
      }
    }
  }
  return findings;
}

function runtimeFindings(stages: Stage[], final: Stage, facts: ProjectFacts): Finding[] {
  const findings: Finding[] = [];
  const finalLine = lineOf(final.from);
  const cmd = ofKind<JSONInstruction>(final, 'CMD').at(-1);
  const entrypoint = ofKind(final, 'ENTRYPOINT').at(-1);

  // A non-root user, in effect when the container starts.
  const user = ofKind(final, 'USER').at(-1);
  const name = user?.getArgumentsContent()?.trim().split(':')[0];
  if (!user) findings.push({ rule: 'user', line: finalLine, message: 'the final stage has no USER: the bot would run as root' });
  else if (name === 'root' || name === '0') findings.push({ rule: 'user', line: lineOf(user), message: `USER ${name}: run as a non-root user` });
  else if (cmd && lineOf(user) > lineOf(cmd)) findings.push({ rule: 'user', line: lineOf(user), message: 'USER comes after CMD: set it before' });

  // Health check on the liveness route.
  const healthcheck = ofKind<Healthcheck>(final, 'HEALTHCHECK').at(-1);
  if (!healthcheck || healthcheck.getSubcommand()?.getValue().toUpperCase() !== 'CMD') {
    findings.push({
      rule: 'healthcheck',
      line: healthcheck ? lineOf(healthcheck) : finalLine,
      message: `no HEALTHCHECK CMD in the final stage (it should request ${facts.healthPath})`,
    });
  } else if (!(healthcheck.getArgumentsContent() ?? '').includes(facts.healthPath)) {
    findings.push({ rule: 'healthcheck', line: lineOf(healthcheck), message: `HEALTHCHECK does not request ${facts.healthPath}` });
  }

  // The database file on a volume.
  const env = envOf(final);
  const sqlitePath = env.get(facts.sqlitePathVariable);
  const volumes = ofKind<JSONInstruction>(final, 'VOLUME').flatMap((v) => {
    const json = v.getJSONStrings();
    return json.length ? json.map((s) => s.getJSONValue()) : v.getArguments().map((a) => a.getValue());
  });
  if (!sqlitePath || !posix.isAbsolute(sqlitePath)) {
    findings.push({ rule: 'volume', line: finalLine, message: `set ${facts.sqlitePathVariable} to an absolute path in the final stage, on the VOLUME` });
  } else if (!volumes.map((v) => posix.normalize(v).replace(/\/+$/, '')).includes(posix.dirname(sqlitePath))) {
    findings.push({ rule: 'volume', line: finalLine, message: `no VOLUME for ${posix.dirname(sqlitePath)}, the directory of ${facts.sqlitePathVariable}=${sqlitePath}` });
  }

  // The port the app listens on is the one exposed.
  const port = env.get('PORT') ?? '3000';
  const exposed = ofKind(final, 'EXPOSE').flatMap((e) => e.getArguments().map((a) => a.getValue().split('/')[0]));
  if (!exposed.includes(port)) findings.push({ rule: 'expose', line: finalLine, message: `PORT is ${port} but EXPOSE lists ${exposed.join(', ') || 'nothing'}` });

  // CMD: exec form (signals reach node, no shell), the built entry, and that entry copied in.
  const workdir = workdirAt(final, cmd ? lineOf(cmd) : Infinity);
  const expectedEntry = posix.join(workdir, facts.builtEntry);
  if (entrypoint) findings.push({ rule: 'cmd-exec-form', line: lineOf(entrypoint), message: 'ENTRYPOINT set: the image should start with CMD ["node", "<entry>"] alone' });
  if (!cmd) {
    findings.push({ rule: 'cmd-exec-form', line: finalLine, message: 'the final stage has no CMD' });
  } else {
    const argv = cmd.getJSONStrings().map((s) => s.getJSONValue());
    if (!cmd.getOpeningBracket() || argv.length === 0)
      findings.push({ rule: 'cmd-exec-form', line: lineOf(cmd), message: 'CMD in shell form: use the exec form ["node", "…"] so SIGTERM reaches node' });
    else if (argv.length !== 2 || argv[0] !== 'node' || posix.resolve(workdir, argv[1]) !== expectedEntry) {
      findings.push({ rule: 'cmd-exec-form', line: lineOf(cmd), message: `CMD ${JSON.stringify(argv)} should be ["node", "${facts.builtEntry}"] (what npm run build makes)` });
    }
  }
  const builtDir = posix.join(workdir, facts.outDir);
  const copiesBuild = ofKind<Copy>(final, 'COPY').some((copy) => {
    const from = copy.getFromFlag()?.getValue();
    const source = stages.find((s) => s.name && s.name.toLowerCase() === from?.toLowerCase());
    if (!source) return false;
    const { sources, dest } = copyParts(copy);
    const copyDir = workdirAt(final, lineOf(copy));
    const sourceDir = workdirAt(source, Infinity);
    return posix.resolve(copyDir, dest) === builtDir && sources.some((s) => posix.resolve(sourceDir, s) === posix.join(sourceDir, facts.outDir));
  });
  if (!copiesBuild) findings.push({ rule: 'cmd-exec-form', line: finalLine, message: `the final stage does not COPY --from the build stage's ${facts.outDir} to ${builtDir}` });
  return findings;
}

/** The project's own rules (issue #7); `linterFindings` covers syntax and instruction arguments. */
export function projectFindings(content: string, facts: ProjectFacts): Finding[] {
  const stages = stagesOf(content);
  const final = stages.at(-1);
  if (!final) return [{ rule: 'stages', line: 1, message: 'no FROM' }];
  return [
    ...(stages.length < 2 ? [{ rule: 'stages', line: lineOf(final.from), message: 'single stage: build in one stage, run from a clean one (multi-stage)' }] : []),
    ...baseImageFindings(stages, facts),
    ...buildFindings(stages, final),
    ...aptFindings(stages),
    ...copySourceFindings(stages, facts),
    ...runtimeFindings(stages, final, facts),
  ].sort((a, b) => a.line - b.line);
}

export function dockerfileFindings(content: string, facts: ProjectFacts): Finding[] {
  return [...linterFindings(content), ...projectFindings(content, facts)];
}
