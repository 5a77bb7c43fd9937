// The emulated GitHub's repositories, their labels and issues. Names compare case-insensitively, as
// GitHub's do; issue numbers count per repository, ids are global.
import type { EmulatedGitHubIssue, GitHubEmulatorOptions, GitHubStateReason } from './types';

export interface StoredLabel {
  id: number;
  name: string;
  color: string;
}

export interface StoredGitHubIssue extends EmulatedGitHubIssue {
  updatedAt: string;
}

export interface StoredRepo {
  id: number;
  /** As configured: `owner/name`. */
  fullName: string;
  labels: StoredLabel[];
  issues: StoredGitHubIssue[];
}

export interface IssueWrite {
  title?: string;
  body?: string | null;
  /** Label names; ones the repository lacks are created, as GitHub does. */
  labels?: string[];
  /** Logins, already checked. */
  assignees?: string[];
}

const LABEL_COLORS = ['d73a4a', '0075ca', 'a2eeef', '7057ff', '008672', 'e4e669', 'd876e3', 'cfd3d7'];

export class GitHubStore {
  private readonly repos: StoredRepo[];
  private readonly users: string[];
  private nextIssueId = 1800000001;
  private nextLabelId = 5100000001;

  constructor(
    options: GitHubEmulatorOptions,
    private readonly now: () => number,
  ) {
    this.repos = (options.repos ?? ['acme/ops']).map((fullName, i) => {
      if (!/^[\w.-]+\/[\w.-]+$/.test(fullName)) throw new Error(`GitHub repositories are owner/name, got ${fullName}`);
      return { id: 700000001 + i, fullName, labels: [], issues: [] };
    });
    this.users = options.users ?? [];
  }

  /** GitHub times have no milliseconds. */
  timestamp(): string {
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  repo(fullName: string): StoredRepo | undefined {
    return this.repos.find((r) => r.fullName.toLowerCase() === fullName.toLowerCase());
  }

  repoById(id: number): StoredRepo | undefined {
    return this.repos.find((r) => r.id === id);
  }

  /** The login as GitHub spells it, or undefined when the user may not be assigned. */
  assignable(login: string): string | undefined {
    return this.users.find((u) => u.toLowerCase() === login.toLowerCase());
  }

  label(repo: StoredRepo, name: string): StoredLabel {
    const existing = repo.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
    if (existing) return existing;
    const created = { id: this.nextLabelId++, name, color: LABEL_COLORS[repo.labels.length % LABEL_COLORS.length] };
    repo.labels.push(created);
    return created;
  }

  create(repo: StoredRepo, write: Required<Pick<IssueWrite, 'title'>> & IssueWrite): StoredGitHubIssue {
    const at = this.timestamp();
    const issue: StoredGitHubIssue = {
      repo: repo.fullName,
      id: this.nextIssueId++,
      number: repo.issues.length + 1,
      title: write.title,
      body: write.body ?? null,
      state: 'open',
      stateReason: null,
      labels: this.labelNames(repo, write.labels ?? []),
      assignees: [...new Set(write.assignees ?? [])],
      createdAt: at,
      updatedAt: at,
    };
    repo.issues.push(issue);
    return issue;
  }

  update(repo: StoredRepo, issue: StoredGitHubIssue, write: IssueWrite): void {
    if (write.title !== undefined) issue.title = write.title;
    if (write.body !== undefined) issue.body = write.body;
    if (write.labels !== undefined) issue.labels = this.labelNames(repo, write.labels);
    if (write.assignees !== undefined) issue.assignees = [...new Set(write.assignees)];
    issue.updatedAt = this.timestamp();
  }

  close(issue: StoredGitHubIssue, reason: Exclude<GitHubStateReason, 'reopened'>): void {
    if (issue.state === 'open') issue.closedAt = this.timestamp();
    issue.state = 'closed';
    issue.stateReason = reason;
    issue.updatedAt = this.timestamp();
  }

  reopen(issue: StoredGitHubIssue): void {
    if (issue.state === 'open') return;
    issue.state = 'open';
    issue.stateReason = 'reopened';
    delete issue.closedAt;
    issue.updatedAt = this.timestamp();
  }

  all(): StoredGitHubIssue[] {
    return this.repos.flatMap((r) => r.issues);
  }

  private labelNames(repo: StoredRepo, names: string[]): string[] {
    return [...new Set(names.map((name) => this.label(repo, name).name))];
  }
}
