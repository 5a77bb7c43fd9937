// Picks the Confluence adapter for the deployment. Both speak plain fetch: one code path for Cloud
// and Data Center, no client library, and full control of retries and of what reaches the logs.

import type { ConfluenceSettings } from '../../config/confluence-config';
import type { ConfluencePages } from '../../ports/confluence';
import { CloudPages } from './cloud-pages';
import { trimSlashes } from './common';
import { DataCenterPages } from './datacenter-pages';
import type { ConfluenceHttpOptions } from './http';

export { CloudPages, type CloudPagesSettings } from './cloud-pages';
export { DataCenterPages, type DataCenterPagesSettings } from './datacenter-pages';
export type { ConfluenceHttpOptions } from './http';

// The settings type is the config's: one definition of what an operator configures.
export type { ConfluenceSettings };

/** Settings that cannot work. Its message names the fields, never their values. */
export class ConfluenceSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid Confluence settings: ${problems.join('; ')}`);
    this.name = 'ConfluenceSettingsError';
  }
}

export function createConfluencePages(settings: ConfluenceSettings, options: ConfluenceHttpOptions = {}): ConfluencePages {
  const problems: string[] = [];
  const baseUrl = checkBaseUrl(settings, problems);
  const spaceKey = settings.spaceKey?.trim() ?? '';
  if (!spaceKey) problems.push('spaceKey is required');
  const parentPageId = settings.parentPageId?.trim() || undefined;

  if (settings.deployment === 'cloud') {
    const email = settings.email?.trim();
    const apiToken = settings.apiToken?.trim();
    if (!email) problems.push('email is required for Confluence Cloud');
    if (!apiToken) problems.push('apiToken is required for Confluence Cloud');
    if (!email || !apiToken || problems.length) throw new ConfluenceSettingsError(problems);
    return new CloudPages({ baseUrl, spaceKey, parentPageId, email, apiToken }, options);
  }
  if (settings.deployment === 'datacenter') {
    const personalAccessToken = settings.personalAccessToken?.trim();
    if (!personalAccessToken) problems.push('personalAccessToken is required for Confluence Data Center');
    if (!personalAccessToken || problems.length) throw new ConfluenceSettingsError(problems);
    return new DataCenterPages({ baseUrl, spaceKey, parentPageId, personalAccessToken }, options);
  }
  throw new ConfluenceSettingsError([...problems, "deployment must be 'cloud' or 'datacenter'"]);
}

function checkBaseUrl(settings: ConfluenceSettings, problems: string[]): string {
  let url: URL;
  try {
    url = new URL(settings.baseUrl);
  } catch {
    problems.push('baseUrl must be an absolute http(s) URL');
    return '';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') problems.push('baseUrl must be an http(s) URL');
  // fetch refuses URLs with credentials, and they would end up in logs: credentials go in their own fields.
  if (url.username || url.password) problems.push('baseUrl must not contain credentials');
  if (url.search || url.hash) problems.push('baseUrl must not have a query or fragment');
  const root = trimSlashes(`${url.origin}${url.pathname}`);
  // A common slip on Cloud is pasting the wiki URL; the API paths already start with /wiki.
  return settings.deployment === 'cloud' ? root.replace(/\/wiki$/, '') : root;
}
