import { loadConfig, secretsOf } from '../../../src/config/config';
import { createIssueTracker } from '../../../src/integrations/tracker';
import { BASE, problemsOf } from './env-fixture';

describe('tracker configuration', () => {
  it('when TRACKER is unset, then tickets are off and no tracker is built', () => {
    const config = loadConfig(BASE);
    expect(config.tracker).toEqual({ enabled: false });
    expect(createIssueTracker(config.tracker)).toBeUndefined();
  });

  it('when Jira Cloud is configured, then its settings, labels, assignees and sync period are read, and its secrets are redacted', () => {
    const config = loadConfig({
      ...BASE,
      TRACKER: 'jira',
      JIRA_BASE_URL: 'https://acme.atlassian.net/',
      JIRA_PROJECT_KEY: 'OPS',
      JIRA_EMAIL: 'bot@acme.com',
      JIRA_API_TOKEN: 'jira-token-value',
      TRACKER_LABELS: 'incident-follow-up, postmortem',
      TRACKER_ASSIGNEES: 'Erin@Acme.com=5b10ac8d,bob@acme.com=bob',
      TRACKER_AUTO_CREATE: 'true',
      TRACKER_SYNC_EVERY: '90m',
    });
    expect(config.tracker).toMatchObject({
      enabled: true,
      kind: 'jira',
      jira: { deployment: 'cloud', baseUrl: 'https://acme.atlassian.net', projectKey: 'OPS', issueType: 'Task', email: 'bot@acme.com', apiToken: 'jira-token-value' },
      labels: ['incident-follow-up', 'postmortem'],
      autoCreate: true,
      syncEveryMs: 90 * 60_000,
    });
    expect(config.tracker.enabled && [...config.tracker.assignees]).toEqual([
      ['erin@acme.com', '5b10ac8d'],
      ['bob@acme.com', 'bob'],
    ]);
    expect(secretsOf(config)).toEqual(expect.arrayContaining(['jira-token-value', Buffer.from('bot@acme.com:jira-token-value').toString('base64')]));
    expect(createIssueTracker(config.tracker)?.name).toBe('Jira');
  });

  it('when Jira is self-hosted, then it is Data Center and needs a personal access token', () => {
    expect(problemsOf({ ...BASE, TRACKER: 'jira', JIRA_BASE_URL: 'https://jira.example.com', JIRA_PROJECT_KEY: 'OPS' })).toEqual([
      'JIRA_PERSONAL_ACCESS_TOKEN is required when TRACKER=jira (Jira Data Center personal access token)',
    ]);
    const config = loadConfig({ ...BASE, TRACKER: 'jira', JIRA_BASE_URL: 'https://jira.example.com/jira', JIRA_PROJECT_KEY: 'OPS', JIRA_PERSONAL_ACCESS_TOKEN: 'pat-value-1' });
    expect(config.tracker).toMatchObject({ jira: { deployment: 'datacenter', personalAccessToken: 'pat-value-1' }, autoCreate: false, syncEveryMs: 6 * 60 * 60_000 });
    const off = loadConfig({
      ...BASE,
      TRACKER: 'jira',
      JIRA_BASE_URL: 'https://jira.example.com',
      JIRA_PROJECT_KEY: 'OPS',
      JIRA_PERSONAL_ACCESS_TOKEN: 'pat-value-1',
      TRACKER_SYNC_EVERY: 'OFF',
    });
    expect(off.tracker).toMatchObject({ enabled: true });
    expect(off.tracker).not.toHaveProperty('syncEveryMs');
    expect(secretsOf(config)).toContain('pat-value-1');
  });

  it('when GitHub is chosen, then the repository and token are required, and the API URL defaults to github.com', () => {
    expect(problemsOf({ ...BASE, TRACKER: 'github' })).toEqual([
      'GITHUB_REPOSITORY is required when TRACKER=github (owner/name of the repository)',
      'GITHUB_TOKEN is required when TRACKER=github (a token that may write issues)',
    ]);
    const config = loadConfig({ ...BASE, TRACKER: 'github', GITHUB_REPOSITORY: 'acme/ops', GITHUB_TOKEN: 'ghp_value' });
    expect(config.tracker).toMatchObject({
      kind: 'github',
      github: { apiUrl: 'https://api.github.com', repository: 'acme/ops', token: 'ghp_value', findLabel: 'incident-follow-up' },
    });
    expect(createIssueTracker(config.tracker)?.name).toBe('GitHub');
  });

  it('when values are malformed, then each problem names its variable and never echoes a token', () => {
    const problems = problemsOf({
      ...BASE,
      TRACKER: 'linear',
      JIRA_PROJECT_KEY: 'ops key',
      GITHUB_REPOSITORY: 'just-a-name',
      TRACKER_LABELS: 'has space',
      TRACKER_ASSIGNEES: 'erin=secret-ish',
      TRACKER_AUTO_CREATE: 'yes',
      TRACKER_SYNC_EVERY: '1m',
      JIRA_API_TOKEN: 'token-never-echoed',
    });
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'TRACKER',
      'JIRA_PROJECT_KEY',
      'GITHUB_REPOSITORY',
      'TRACKER_LABELS',
      'TRACKER_ASSIGNEES',
      'TRACKER_AUTO_CREATE',
      'TRACKER_SYNC_EVERY',
    ]);
    expect(problems.join('\n')).not.toContain('token-never-echoed');
  });
});
