// Picks the tracker adapter the configuration names. All three speak plain fetch through one
// request path (../http/json-http.ts): no client library whose retries or logs could leak a token.

import type { TrackerConfig } from '../../config/tracker-config';
import type { IssueTracker } from '../../ports/issue-tracker';
import { GitHubTracker } from './github';
import { JiraTracker } from './jira';
import type { TrackerHttpOptions } from './tracker-http';

export { GitHubTracker } from './github';
export { JiraTracker } from './jira';

export function createIssueTracker(config: TrackerConfig, options: TrackerHttpOptions = {}): IssueTracker | undefined {
  if (!config.enabled) return undefined;
  return config.kind === 'github' ? new GitHubTracker(config.github, options) : new JiraTracker(config.jira, options);
}
