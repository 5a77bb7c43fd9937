// Escalation policies: who is paged, in which order, and how long each level has to acknowledge.
// They live in the file named by ESCALATION_POLICIES_FILE (.yaml, .yml or .json):
//
//   policies:
//     platform-oncall:                 # lowercase letters, digits, - and _ (at most 40)
//       description: Platform on-call, then the platform leads
//       levels:                        # paged in order until someone acknowledges
//         - users: [U0123ABCD]         # Slack user ids (U… or W…)
//           usergroups: [S0456EFGH]    # Slack user group ids (S…)
//           timeout: 5m                # required: 10s to 24h, such as 30s, 5m, 1h30m, 10 minutes
//         - usergroups: [S0999LEADS]
//           timeout: 10m
//   severities:
//     sev1: platform-oncall            # paged automatically when a sev1 is declared
//
// JSON has the same shape. Unknown keys are errors, so a typo such as `usrs:` is reported rather
// than silently paging nobody. All problems are reported at once, one line each:
// `file:line:column field.path message`.
//
// One code path for both formats: JSON is YAML 1.2, so the `yaml` parser reads a JSON file too and
// gives every node its position. YAML is laxer than JSON (comments, trailing commas, single quotes),
// so a JSON file's syntax is first checked strictly here — not with JSON.parse, whose messages and
// positions differ between Node versions.

import { readFileSync } from 'node:fs';
import { extname } from 'node:path';

import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { z } from 'zod';

import type { EscalationLevel, EscalationPolicy } from '../domain/escalation';
import { SEVERITIES, type Severity } from '../domain/incident';
import { ConfigError } from './config';
import { formatDuration, MAX_DURATION_MS, MIN_DURATION_MS, parseDuration } from './duration';

export interface EscalationConfig {
  /** By policy name (file order, except that JS puts number-like names such as `1` first). */
  policies: Map<string, EscalationPolicy>;
  /** The policy paged automatically when an incident of that severity is declared. */
  severityPolicies: Partial<Record<Severity, string>>;
}

/** No policies and no automatic paging: what an absent ESCALATION_POLICIES_FILE means. */
export function emptyEscalationConfig(): EscalationConfig {
  return { policies: new Map(), severityPolicies: {} };
}

/** `(got "5 mins please")`: the file holds no secrets, and seeing the value makes a typo obvious. */
function got(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return 'nothing'; // YAML `key:` with no value
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

const slackId = (pattern: RegExp, what: string) => z.string().regex(pattern, { error: (issue) => `must be a Slack ${what} (got ${got(issue.input)})` });

const notDuration = (value: unknown) => `must be a duration such as 5m (got ${got(value)})`;
const timeout = z
  .string({
    error: (issue) => (issue.input === undefined ? 'is required: how long this level is paged before the next, such as 5m' : notDuration(issue.input)),
  })
  .transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms !== undefined) return ms;
    const readable = parseDuration(text, { minMs: 0, maxMs: Infinity }) !== undefined;
    const range = `must be between ${formatDuration(MIN_DURATION_MS)} and ${formatDuration(MAX_DURATION_MS)} (got ${got(text)})`;
    ctx.addIssue({ code: 'custom', message: readable ? range : notDuration(text) });
    return z.NEVER;
  });

const listLength = (value: unknown) => (Array.isArray(value) ? value.length : 0);

const levelSchema = z
  .strictObject({
    users: z.array(slackId(/^[UW][A-Z0-9]{2,}$/, 'user id such as U0123ABCD')).optional(),
    usergroups: z.array(slackId(/^S[A-Z0-9]{2,}$/, 'user group id such as S0456EFGH')).optional(),
    timeout,
  })
  // Checked even when a field is already wrong (zod would skip it), so every problem shows at once.
  .refine((level) => listLength(level.users) + listLength(level.usergroups) > 0, {
    message: 'must name at least one user or usergroup',
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  });

const policySchema = z.strictObject({
  description: z.string().trim().max(300, 'must be at most 300 characters').optional(),
  levels: z.array(levelSchema).min(1, 'must have at least one level'),
});

const policyName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'use lowercase letters, digits, - and _ (at most 40, starting with a letter or digit)');

const fileSchema = z.strictObject(
  {
    policies: z.record(policyName, policySchema).nullish(),
    severities: z.partialRecord(z.enum(SEVERITIES), z.string()).nullish(),
  },
  {
    error: (issue) => (issue.code === 'invalid_type' ? `must be a mapping with policies: and severities: (got ${got(issue.input)})` : undefined),
  },
);

type PolicyFile = z.output<typeof fileSchema>;

const EXPECTED: Record<string, string> = { string: 'text', array: 'a list', object: 'a mapping', record: 'a mapping' };

/** Messages for the generic cases; the schemas above word their own. */
const describeIssue: z.core.$ZodErrorMap = (issue) =>
  issue.code === 'invalid_type' ? (issue.input === undefined ? 'is required' : `must be ${EXPECTED[issue.expected] ?? issue.expected} (got ${got(issue.input)})`) : undefined;

type Problem = { path: readonly PropertyKey[]; message: string };

function knownKeys(objectPath: readonly PropertyKey[]): readonly string[] {
  if (objectPath.length === 0) return Object.keys(fileSchema.shape);
  if (objectPath[0] === 'severities') return SEVERITIES;
  return Object.keys(objectPath.length === 2 ? policySchema.shape : levelSchema.shape);
}

function oneOf(words: readonly string[]): string {
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : (words[0] ?? '');
}

/** One problem per unknown key, so each gets its own line and position. Only policy names have key rules. */
function problemsOf(issue: z.core.$ZodIssue): Problem[] {
  switch (issue.code) {
    case 'unrecognized_keys': {
      const message = `is unknown (expected ${oneOf(knownKeys(issue.path))})`;
      return issue.keys.map((key) => ({ path: [...issue.path, key], message }));
    }
    case 'invalid_key':
      return [{ path: issue.path, message: `is not a valid policy name: ${issue.issues[0]?.message ?? issue.message}` }];
    default:
      return [{ path: issue.path, message: issue.message }];
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Severities must name defined policies; checked on the raw data so it reports alongside zod's problems. */
function severityProblems(data: unknown): Problem[] {
  if (!isRecord(data) || !isRecord(data.severities) || !(isRecord(data.policies) || data.policies == null)) return [];
  const defined = Object.keys(data.policies ?? {});
  const known = (severity: string) => (SEVERITIES as readonly string[]).includes(severity);
  return Object.entries(data.severities)
    .filter(([severity, name]) => known(severity) && typeof name === 'string' && !defined.includes(name))
    .map(([severity, name]) => ({
      path: ['severities', severity],
      message: `names policy ${got(name)}, which is not defined (defined: ${defined.join(', ') || 'none'})`,
    }));
}

/** `policies.platform-oncall.levels[1].timeout`; odd keys are quoted: `policies["Platform OnCall"]`. */
function pathText(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(String(segment))) text += `${text ? '.' : ''}${String(segment)}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text || 'file';
}

const startOf = (node: unknown): number | undefined => (isNode(node) && node.range ? node.range[0] : undefined);

/**
 * Where a path points: the key of the last map entry it reaches, or the sequence item. A missing key
 * (such as an absent `timeout`) falls back to the nearest parent that exists.
 */
function offsetOf(doc: Document, path: readonly PropertyKey[]): number {
  let node: unknown = doc.contents;
  let offset = startOf(node) ?? 0;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      offset = startOf(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = node.items[segment];
      offset = startOf(node) ?? offset;
    } else break;
  }
  return offset;
}

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

// Any character but a quote, a backslash or a control character (below U+0020), or an escape.
const JSON_STRING = /"(?:[\x20\x21\x23-\x5b\x5d-\uffff]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y;
const JSON_SCALAR = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/** Strict JSON syntax (RFC 8259): the first error, or undefined. Whitespace only counts as empty. */
function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let at = 0;
  /** The next character after whitespace; '' at the end. */
  const peek = () => {
    while (at < text.length && ' \t\n\r'.includes(text.charAt(at))) at++;
    return text.charAt(at);
  };
  const fail = (message: string, offset = at): never => {
    throw new JsonSyntaxError(offset, offset >= text.length ? `unexpected end of file (${message})` : message);
  };
  const token = (pattern: RegExp, message: string) => {
    pattern.lastIndex = at;
    if (!pattern.test(text)) fail(message);
    at = pattern.lastIndex;
  };
  const value = (depth: number): void => {
    const open = peek();
    if (open === '"') return token(JSON_STRING, 'invalid string: missing closing quote, bad escape or raw line break');
    if (open !== '{' && open !== '[') return token(JSON_SCALAR, 'expected a value');
    if (depth > 50) fail('nested too deeply');
    const close = open === '{' ? '}' : ']';
    at++;
    if (peek() === close) return void at++;
    for (;;) {
      if (open === '{') {
        token(JSON_STRING, 'expected a "double-quoted" property name');
        if (peek() !== ':') fail("expected ':' after the property name");
        at++;
      }
      value(depth + 1);
      if (peek() === close) return void at++;
      if (peek() !== ',') fail(`expected ',' or '${close}'`);
      const comma = at++;
      if (peek() === close) fail('a trailing comma is not allowed in JSON', comma);
    }
  };
  try {
    if (peek() === '') return undefined;
    value(0);
    if (peek() !== '') fail('unexpected content after the end of the document');
    return undefined;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error;
    throw error;
  }
}

// The parser's own wording for the common cases is written for programmers; these are for operators.
const YAML_MESSAGES: Record<string, string> = {
  DUPLICATE_KEY: 'a key appears twice in the same mapping',
  MULTIPLE_DOCS: 'the file must hold one document (remove the extra ---)',
};

function toConfig(file: PolicyFile): EscalationConfig {
  const policies = new Map<string, EscalationPolicy>();
  for (const [name, policy] of Object.entries(file.policies ?? {})) {
    const levels = policy.levels.map((level): EscalationLevel => ({ userIds: level.users ?? [], usergroupIds: level.usergroups ?? [], timeoutMs: level.timeout }));
    policies.set(name, { name, ...(policy.description ? { description: policy.description } : {}), levels });
  }
  return { policies, severityPolicies: { ...file.severities } };
}

/** Parses a policy file's text; `sourceName` only labels the messages. Throws ConfigError. */
export function parseEscalationPolicies(text: string, sourceName: string, format: 'yaml' | 'json'): EscalationConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${sourceName}:${line}:${col}`;
  };
  const kind = format === 'json' ? 'JSON' : 'YAML';

  const jsonError = format === 'json' ? jsonSyntaxError(text) : undefined;
  if (jsonError) throw new ConfigError([`${at(jsonError.offset)} JSON syntax error: ${jsonError.message}`]);
  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map((e) => `${at(e.pos[0])} ${kind} syntax error: ${YAML_MESSAGES[e.code] ?? e.message}`));
  }

  let data: unknown;
  try {
    data = doc.toJS(); // at most 100 aliases are expanded, so an alias bomb fails here too
  } catch (error) {
    // An alias to an undefined anchor (or an alias bomb) only shows here; point at the first bad alias.
    let offset = 0;
    visit(doc, {
      Alias: (_key, alias) => {
        if (alias.resolve(doc)) return undefined;
        offset = alias.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    throw new ConfigError([`${at(offset)} ${kind} error: ${error instanceof Error ? error.message : String(error)}`]);
  }

  const parsed = fileSchema.safeParse(data ?? {}, { error: describeIssue });
  const problems = [...(parsed.success ? [] : parsed.error.issues.flatMap(problemsOf)), ...severityProblems(data)];
  if (!parsed.success || problems.length > 0) {
    const located = problems.map((p) => ({ offset: offsetOf(doc, p.path), line: `${pathText(p.path)} ${p.message}` }));
    located.sort((a, b) => a.offset - b.offset); // file order; sort is stable for problems at one place
    throw new ConfigError([...new Set(located.map((p) => `${at(p.offset)} ${p.line}`))]);
  }
  return toConfig(parsed.data);
}

/** Reads the file named by ESCALATION_POLICIES_FILE; the format follows the extension. Throws ConfigError. */
export function loadEscalationPolicies(path: string): EscalationConfig {
  const extension = extname(path).toLowerCase();
  const format = extension === '.json' ? 'json' : extension === '.yaml' || extension === '.yml' ? 'yaml' : undefined;
  if (!format) throw new ConfigError([`ESCALATION_POLICIES_FILE ${path} must end with .yaml, .yml or .json`]);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const problem = code === 'ENOENT' ? 'no such file' : `cannot be read (${code})`;
    throw new ConfigError([`${path}: ${problem}, named by ESCALATION_POLICIES_FILE`]);
  }
  return parseEscalationPolicies(text.replace(/^\uFEFF/, ''), path, format);
}
