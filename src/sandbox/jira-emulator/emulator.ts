// A Jira site in memory behind a real HTTP server on 127.0.0.1, speaking Cloud's REST API v3
// (Basic email + API token, ADF descriptions, POST /search/jql) or Data Center's REST API v2
// (Bearer PAT, wiki-markup descriptions, GET /search), for tests and the offline demo.
// Error bodies are Jira's `{ errorMessages: [...], errors: { field: message } }`; the 404 text is
// the one Jira returns for an issue that does not exist or cannot be seen.

import { header, jsonReply, startServer, textReply, type Reply, type Request, type RunningServer } from '../confluence-emulator/http';

export interface JiraEmulatorOptions {
  deployment: 'cloud' | 'datacenter';
  cloud?: { email: string; apiToken: string };
  datacenter?: { personalAccessToken: string };
  /** Data Center only, e.g. '/jira'. */
  contextPath?: string;
  projectKey?: string;
  /** id is the accountId (Cloud) or user name (Data Center). */
  users?: { id: string; email: string; displayName: string }[];
}

export interface EmulatedJiraIssue {
  id: string;
  key: string;
  summary: string;
  /** ADF (Cloud) or a wiki-markup string (Data Center), as sent. */
  description: unknown;
  issueType: string;
  labels: string[];
  assigneeId?: string;
  status: string;
  statusCategory: 'new' | 'indeterminate' | 'done';
  resolution?: string;
}

export interface JiraCall {
  method: string;
  path: string;
  status: number;
}

/** What the next matching request gets instead; `afterCommit` applies the request first (a lost answer). */
export interface JiraFailure {
  status: number;
  retryAfter?: string;
  afterCommit?: boolean;
}

const NOT_FOUND = { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} };

export class JiraEmulator {
  private readonly store: EmulatedJiraIssue[] = [];
  private readonly log: JiraCall[] = [];
  private readonly failures: { method: string; pathIncludes: string; failure: JiraFailure }[] = [];
  private server?: RunningServer;

  private constructor(private readonly options: JiraEmulatorOptions) {}

  static async start(options: JiraEmulatorOptions): Promise<JiraEmulator> {
    const emulator = new JiraEmulator(options);
    emulator.server = await startServer((request) => emulator.handle(request));
    return emulator;
  }

  get baseUrl(): string {
    if (!this.server) throw new Error('Jira emulator is not running');
    return `${this.server.origin}${this.options.deployment === 'datacenter' ? (this.options.contextPath ?? '') : ''}`;
  }

  /** Every request so far; credentials are never recorded. */
  get calls(): JiraCall[] {
    return this.log.map((c) => ({ ...c }));
  }

  issues(): EmulatedJiraIssue[] {
    return this.store.map((i) => ({ ...i, labels: [...i.labels] }));
  }

  /** Adds an issue as if created earlier (a create whose answer was lost). */
  seed(issue: Omit<EmulatedJiraIssue, 'id' | 'key' | 'status' | 'statusCategory'>): EmulatedJiraIssue {
    return this.add(issue);
  }

  transition(key: string, to: { status: string; category: EmulatedJiraIssue['statusCategory']; resolution?: string }): void {
    const issue = this.store.find((i) => i.key === key);
    if (!issue) throw new Error(`no issue ${key}`);
    Object.assign(issue, { status: to.status, statusCategory: to.category, resolution: to.resolution });
  }

  failNext(method: string, pathIncludes: string, failure: JiraFailure): void {
    this.failures.push({ method, pathIncludes, failure });
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  private get api(): string {
    return this.options.deployment === 'cloud' ? '/rest/api/3' : '/rest/api/2';
  }

  private add(fields: Omit<EmulatedJiraIssue, 'id' | 'key' | 'status' | 'statusCategory'>): EmulatedJiraIssue {
    const n = this.store.length + 1;
    const issue: EmulatedJiraIssue = { ...fields, id: String(10000 + n), key: `${this.options.projectKey ?? 'OPS'}-${n}`, status: 'To Do', statusCategory: 'new' };
    this.store.push(issue);
    return issue;
  }

  private authorized(request: Request): boolean {
    const given = header(request, 'authorization');
    if (this.options.deployment === 'cloud') {
      const { email, apiToken } = this.options.cloud ?? { email: '', apiToken: '' };
      return given === `Basic ${Buffer.from(`${email}:${apiToken}`).toString('base64')}`;
    }
    return given === `Bearer ${this.options.datacenter?.personalAccessToken ?? ''}`;
  }

  private handle(request: Request): Reply {
    const reply = this.route(request);
    this.log.push({ method: request.method, path: request.path, status: reply.status });
    return reply;
  }

  private route(request: Request): Reply {
    const prefix = this.options.deployment === 'datacenter' ? (this.options.contextPath ?? '') : '';
    if (!request.path.startsWith(`${prefix}${this.api}/`)) return jsonReply(404, { errorMessages: ['Not found'], errors: {} });
    const path = request.path.slice(prefix.length + this.api.length);
    if (!this.authorized(request)) return textReply(401, 'Client must be authenticated to access this resource.');
    const index = this.failures.findIndex((f) => f.method === request.method && request.path.includes(f.pathIncludes));
    const failure = index >= 0 ? this.failures.splice(index, 1)[0]?.failure : undefined;
    if (failure && !failure.afterCommit) return jsonReply(failure.status, { errorMessages: ['Injected failure'], errors: {} }, failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
    const reply = this.serve(request, path);
    return failure ? jsonReply(failure.status, { errorMessages: ['Injected failure after commit'], errors: {} }) : reply;
  }

  private serve(request: Request, path: string): Reply {
    const body = request.body.length ? (JSON.parse(request.body.toString('utf8')) as Record<string, unknown>) : {};
    if (request.method === 'POST' && path === '/issue') return this.create(body);
    const issueMatch = /^\/issue\/([^/]+)$/.exec(path);
    if (request.method === 'GET' && issueMatch) {
      const issue = this.store.find((i) => i.key === decodeURIComponent(issueMatch[1] ?? '') || i.id === issueMatch[1]);
      return issue ? jsonReply(200, this.json(issue)) : jsonReply(404, NOT_FOUND);
    }
    if (this.options.deployment === 'cloud' && request.method === 'POST' && path === '/search/jql') return this.search(String(body.jql ?? ''), true);
    if (this.options.deployment === 'datacenter' && request.method === 'GET' && path === '/search') return this.search(request.query.get('jql') ?? '', false);
    if (request.method === 'GET' && path === '/user/search') {
      const wanted = (request.query.get(this.options.deployment === 'cloud' ? 'query' : 'username') ?? '').toLowerCase();
      const users = (this.options.users ?? []).filter((u) => u.email.toLowerCase() === wanted);
      return jsonReply(200, users.map((u) => (this.options.deployment === 'cloud' ? { accountId: u.id, emailAddress: u.email, displayName: u.displayName, active: true } : { name: u.id, key: u.id, emailAddress: u.email, displayName: u.displayName, active: true })));
    }
    return jsonReply(404, { errorMessages: ['Not found'], errors: {} });
  }

  private create(body: Record<string, unknown>): Reply {
    const fields = (body.fields ?? {}) as Record<string, unknown>;
    const errors: Record<string, string> = {};
    const summary = typeof fields.summary === 'string' ? fields.summary : '';
    if (!summary.trim()) errors.summary = 'You must specify a summary of the issue.';
    else if (summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
    else if (/[\r\n]/.test(summary)) errors.summary = 'The summary is invalid because it contains newline characters.';
    if ((fields.project as { key?: unknown } | undefined)?.key !== (this.options.projectKey ?? 'OPS')) errors.project = 'valid project is required';
    const labels = Array.isArray(fields.labels) ? fields.labels.map(String) : [];
    const spaced = labels.find((l) => /\s/.test(l));
    if (spaced) errors.labels = `The label '${spaced}' contains spaces which is invalid.`;
    const description = fields.description;
    if (this.options.deployment === 'cloud' && description !== undefined && adfProblem(description)) {
      errors.description = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
    }
    if (this.options.deployment === 'datacenter' && description !== undefined && typeof description !== 'string') errors.description = 'Operation value must be a string';
    const assignee = fields.assignee as { accountId?: string; name?: string } | undefined;
    const assigneeId = assignee?.accountId ?? assignee?.name;
    if (assigneeId && !(this.options.users ?? []).some((u) => u.id === assigneeId)) errors.assignee = `User '${assigneeId}' does not exist.`;
    if (Object.keys(errors).length) return jsonReply(400, { errorMessages: [], errors });
    const issueType = String((fields.issuetype as { name?: unknown } | undefined)?.name ?? 'Task');
    const issue = this.add({ summary, description, issueType, labels, ...(assigneeId ? { assigneeId } : {}) });
    return jsonReply(201, { id: issue.id, key: issue.key, self: `${this.baseUrl}${this.api}/issue/${issue.id}` });
  }

  /** JQL as the bot writes it: `project = "KEY" AND labels = "x"` (quoted or not). */
  private search(jql: string, cloud: boolean): Reply {
    const clauses = jql.split(/\s+AND\s+/i).map((c) => /^(project|labels)\s*=\s*"?([^"]+)"?$/i.exec(c.trim()));
    if (clauses.some((c) => !c)) return jsonReply(400, { errorMessages: [`Error in the JQL Query: unsupported query '${jql}'`], errors: {} });
    const matching = this.store.filter((issue) =>
      clauses.every((c) => (c?.[1]?.toLowerCase() === 'project' ? issue.key.startsWith(`${c[2]}-`) : issue.labels.includes(c?.[2] ?? ''))),
    );
    const issues = matching.map((i) => this.json(i));
    return jsonReply(200, cloud ? { issues, isLast: true } : { startAt: 0, maxResults: 50, total: issues.length, issues });
  }

  private json(issue: EmulatedJiraIssue): unknown {
    const user = (this.options.users ?? []).find((u) => u.id === issue.assigneeId);
    return {
      id: issue.id,
      key: issue.key,
      self: `${this.baseUrl}${this.api}/issue/${issue.id}`,
      fields: {
        summary: issue.summary,
        labels: issue.labels,
        description: issue.description ?? null,
        status: { name: issue.status, statusCategory: { key: issue.statusCategory, name: issue.statusCategory } },
        resolution: issue.resolution ? { name: issue.resolution } : null,
        assignee: user ? (this.options.deployment === 'cloud' ? { accountId: user.id, displayName: user.displayName } : { name: user.id, displayName: user.displayName }) : null,
      },
    };
  }
}

const BLOCKS = new Set(['paragraph', 'heading', 'bulletList', 'orderedList', 'listItem', 'codeBlock', 'blockquote', 'rule']);
const MARKS = new Set(['strong', 'em', 'code', 'strike', 'underline', 'link']);

/** Why a value is not a valid ADF document (the subset Jira accepts in a description), or undefined. */
export function adfProblem(doc: unknown): string | undefined {
  const node = doc as { type?: unknown; version?: unknown; content?: unknown };
  if (node?.type !== 'doc' || node.version !== 1 || !Array.isArray(node.content)) return 'not a doc of version 1 with content';
  for (const [i, block] of (node.content as unknown[]).entries()) {
    const problem = blockProblem(block, `content[${i}]`);
    if (problem) return problem;
  }
  return undefined;
}

function blockProblem(value: unknown, where: string): string | undefined {
  const block = value as { type?: unknown; content?: unknown };
  if (typeof block?.type !== 'string' || !BLOCKS.has(block.type)) return `${where}: unknown block ${String(block?.type)}`;
  if (block.type === 'rule') return undefined;
  if (!Array.isArray(block.content)) return `${where}: no content`;
  for (const [i, child] of (block.content as unknown[]).entries()) {
    const inline = child as { type?: unknown; text?: unknown; marks?: unknown };
    const at = `${where}.content[${i}]`;
    if (['bulletList', 'orderedList', 'listItem', 'blockquote'].includes(block.type)) {
      const problem = blockProblem(child, at);
      if (problem) return problem;
      continue;
    }
    if (inline?.type === 'hardBreak') continue;
    if (inline?.type !== 'text') return `${at}: unknown inline ${String(inline?.type)}`;
    if (typeof inline.text !== 'string' || inline.text === '') return `${at}: empty text`;
    for (const mark of (inline.marks ?? []) as { type?: unknown; attrs?: { href?: unknown } }[]) {
      if (typeof mark?.type !== 'string' || !MARKS.has(mark.type)) return `${at}: unknown mark`;
      if (mark.type === 'link' && !(typeof mark.attrs?.href === 'string' && /^(https?:|mailto:)/.test(mark.attrs.href))) return `${at}: bad link`;
    }
  }
  return undefined;
}
