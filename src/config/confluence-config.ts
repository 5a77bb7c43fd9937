// Confluence export settings. Export is optional: when some of the settings are missing the bot
// still starts, and the Export button and command say exactly which variables to set.

export interface ConfluenceSettings {
  deployment: 'cloud' | 'datacenter';
  baseUrl: string;
  spaceKey: string;
  parentPageId?: string;
  email?: string;
  apiToken?: string;
  personalAccessToken?: string;
}

export type ConfluenceConfig =
  | { enabled: true; settings: ConfluenceSettings; autoExport: boolean }
  | { enabled: false; /** The variables still to set; all of them when nothing is configured. */ missing: string[]; autoExport: boolean };

export interface ConfluenceEnv {
  CONFLUENCE_BASE_URL?: string;
  CONFLUENCE_DEPLOYMENT?: 'cloud' | 'datacenter';
  CONFLUENCE_SPACE_KEY?: string;
  CONFLUENCE_PARENT_PAGE_ID?: string;
  CONFLUENCE_EMAIL?: string;
  CONFLUENCE_API_TOKEN?: string;
  CONFLUENCE_PERSONAL_ACCESS_TOKEN?: string;
  CONFLUENCE_AUTO_EXPORT: boolean;
}

/** Atlassian-hosted sites are Cloud; anything else is taken to be Data Center / Server. */
export function inferDeployment(baseUrl: string): 'cloud' | 'datacenter' {
  try {
    return new URL(baseUrl).hostname.endsWith('.atlassian.net') ? 'cloud' : 'datacenter';
  } catch {
    return 'datacenter';
  }
}

export function confluenceConfig(env: ConfluenceEnv): ConfluenceConfig {
  const baseUrl = env.CONFLUENCE_BASE_URL?.replace(/\/+$/, '');
  const deployment = env.CONFLUENCE_DEPLOYMENT ?? (baseUrl ? inferDeployment(baseUrl) : 'cloud');
  const credentials = deployment === 'cloud' ? ['CONFLUENCE_EMAIL', 'CONFLUENCE_API_TOKEN'] : ['CONFLUENCE_PERSONAL_ACCESS_TOKEN'];
  const missing = ['CONFLUENCE_BASE_URL', 'CONFLUENCE_SPACE_KEY', ...credentials].filter((name) => !env[name as keyof ConfluenceEnv]);
  if (missing.length > 0 || !baseUrl || !env.CONFLUENCE_SPACE_KEY) return { enabled: false, missing, autoExport: env.CONFLUENCE_AUTO_EXPORT };
  return {
    enabled: true,
    autoExport: env.CONFLUENCE_AUTO_EXPORT,
    settings: {
      deployment,
      baseUrl,
      spaceKey: env.CONFLUENCE_SPACE_KEY,
      ...(env.CONFLUENCE_PARENT_PAGE_ID ? { parentPageId: env.CONFLUENCE_PARENT_PAGE_ID } : {}),
      ...(deployment === 'cloud' ? { email: env.CONFLUENCE_EMAIL, apiToken: env.CONFLUENCE_API_TOKEN } : { personalAccessToken: env.CONFLUENCE_PERSONAL_ACCESS_TOKEN }),
    },
  };
}

/** What the user reads when export is off. */
export function confluenceDisabledMessage(missing: readonly string[]): string {
  return `Confluence export is not set up: set ${missing.map((m) => `\`${m}\``).join(', ')} where the bot runs (see the README), then try again. The postmortem is saved in the meantime.`;
}
