// The Jira site's data, shared by both APIs: projects with their issue types, users, issues.
// Ids are global and keys count per project, as in Jira; deleted keys are never reused.
import type { EmulatedJiraIssue, EmulatedRemoteLink, JiraEmulatorOptions, JiraTransition } from './types';

export interface JiraProject {
  id: string;
  key: string;
  name: string;
  issueTypes: { id: string; name: string }[];
}

export interface JiraUser {
  /** accountId (Cloud) or user name (Data Center). */
  id: string;
  /** Data Center's user key, distinct from the name since Jira 8. */
  key: string;
  email: string;
  displayName: string;
}

export interface StoredIssue extends EmulatedJiraIssue {
  projectId: string;
  issueTypeId: string;
  reporterId: string;
  updatedAt: string;
  resolvedAt?: string;
}

export interface NewIssue {
  project: JiraProject;
  issueType: { id: string; name: string };
  summary: string;
  description: unknown;
  labels: string[];
  assigneeId?: string;
}

const DEFAULT_PROJECTS = [{ key: 'OPS', issueTypes: ['Task', 'Bug'] }];
// The default workflows' first status: "To Do" on Cloud, "Open" in Data Center's classic workflow.
const FIRST_STATUS = { cloud: 'To Do', datacenter: 'Open' } as const;

export class JiraStore {
  readonly projects: JiraProject[];
  readonly users: JiraUser[];
  /** The account the credentials belong to. */
  readonly myself: JiraUser;
  private readonly issuesById = new Map<string, StoredIssue>();
  private readonly nextNumber = new Map<string, number>();
  private nextIssueId = 10001;
  private nextLinkId = 10000;

  constructor(
    private readonly options: JiraEmulatorOptions,
    private readonly now: () => number,
  ) {
    let typeId = 10001;
    this.projects = (options.projects ?? DEFAULT_PROJECTS).map((p, i) => ({
      id: String(10000 + i),
      key: p.key,
      name: p.key,
      issueTypes: (p.issueTypes ?? ['Task', 'Bug']).map((name) => ({ id: String(typeId++), name })),
    }));
    this.users = (options.users ?? []).map((u, i) => ({ ...u, key: `JIRAUSER${10100 + i}` }));
    this.myself = this.findMyself();
  }

  private findMyself(): JiraUser {
    const email = this.options.cloud?.email;
    const known = email === undefined ? undefined : this.userByEmail(email);
    if (known) return known;
    const cloud = this.options.deployment === 'cloud';
    const self: JiraUser = {
      id: cloud ? '557058:0c6f5a3e-7d1b-4c1e-9a51-1c2d3e4f5a6b' : 'incident-bot',
      key: 'JIRAUSER10000',
      email: email ?? 'incident-bot@example.invalid',
      displayName: 'Incident Bot',
    };
    this.users.push(self);
    return self;
  }

  project(keyOrId: string): JiraProject | undefined {
    // Jira reads project keys case-insensitively.
    return this.projects.find((p) => p.id === keyOrId || p.key.toUpperCase() === keyOrId.toUpperCase());
  }

  /** Data Center user names are case-insensitive; Cloud account ids are compared exactly. */
  user(id: string): JiraUser | undefined {
    return this.options.deployment === 'cloud' ? this.users.find((u) => u.id === id) : this.users.find((u) => u.id.toLowerCase() === id.toLowerCase());
  }

  userByEmail(email: string): JiraUser | undefined {
    return this.users.find((u) => u.email.toLowerCase() === email.toLowerCase());
  }

  create(input: NewIssue): StoredIssue {
    const number = this.nextNumber.get(input.project.key) ?? 1;
    this.nextNumber.set(input.project.key, number + 1);
    const at = new Date(this.now()).toISOString();
    const issue: StoredIssue = {
      id: String(this.nextIssueId++),
      key: `${input.project.key}-${number}`,
      projectKey: input.project.key,
      projectId: input.project.id,
      summary: input.summary,
      description: input.description,
      issueType: input.issueType.name,
      issueTypeId: input.issueType.id,
      labels: input.labels,
      ...(input.assigneeId === undefined ? {} : { assigneeId: input.assigneeId }),
      reporterId: this.myself.id,
      status: FIRST_STATUS[this.options.deployment],
      statusCategory: 'new',
      createdAt: at,
      updatedAt: at,
      remoteLinks: [],
    };
    this.issuesById.set(issue.id, issue);
    return issue;
  }

  /** By id, or by key in any case (Jira upper-cases keys it is given). */
  issue(idOrKey: string): StoredIssue | undefined {
    const byId = this.issuesById.get(idOrKey);
    if (byId) return byId;
    const key = idOrKey.toUpperCase();
    return this.all().find((i) => i.key === key);
  }

  /** Oldest first. */
  all(): StoredIssue[] {
    return [...this.issuesById.values()];
  }

  transition(key: string, to: JiraTransition): void {
    const issue = this.existing(key);
    const at = new Date(this.now()).toISOString();
    issue.status = to.status;
    issue.statusCategory = to.category;
    issue.updatedAt = at;
    if (to.resolution === undefined) {
      delete issue.resolution;
      delete issue.resolvedAt;
    } else {
      issue.resolution = to.resolution;
      issue.resolvedAt = at;
    }
  }

  /** Jira's create-or-update: a link with the same global id is replaced, keeping its id. */
  putRemoteLink(issue: StoredIssue, link: Omit<EmulatedRemoteLink, 'id'>): { link: EmulatedRemoteLink; created: boolean } {
    const index = link.globalId === undefined ? -1 : issue.remoteLinks.findIndex((l) => l.globalId === link.globalId);
    const existing = issue.remoteLinks[index];
    const stored: EmulatedRemoteLink = { ...link, id: existing?.id ?? this.nextLinkId++ };
    if (existing) issue.remoteLinks[index] = stored;
    else issue.remoteLinks.push(stored);
    issue.updatedAt = new Date(this.now()).toISOString();
    return { link: stored, created: !existing };
  }

  delete(key: string): void {
    this.issuesById.delete(this.existing(key).id);
  }

  private existing(key: string): StoredIssue {
    const issue = this.issue(key);
    if (!issue) throw new Error(`No issue ${key} in the emulated Jira`);
    return issue;
  }
}
