// An emulated Confluence Cloud site and the sandbox options that export to it on close, with the
// real adapter (only its waits are instant).

import { confluenceConfig } from '../../src/config/confluence-config';
import { createConfluencePages } from '../../src/integrations/confluence';
import { ConfluenceEmulator } from '../../src/sandbox/confluence-emulator';
import type { SandboxOptions } from '../../src/sandbox/sandbox';

export async function autoExportingConfluence(apiToken: string): Promise<{ emulator: ConfluenceEmulator; options: Pick<SandboxOptions, 'confluence' | 'confluencePages'> }> {
  const emulator = await ConfluenceEmulator.start({ deployment: 'cloud', cloud: { email: 'bot@acme.example', apiToken } });
  const config = confluenceConfig({
    CONFLUENCE_BASE_URL: emulator.baseUrl,
    CONFLUENCE_DEPLOYMENT: 'cloud',
    CONFLUENCE_SPACE_KEY: 'INC',
    CONFLUENCE_EMAIL: 'bot@acme.example',
    CONFLUENCE_API_TOKEN: apiToken,
    CONFLUENCE_AUTO_EXPORT: true,
  });
  if (!config.enabled) throw new Error('test config should be complete');
  return { emulator, options: { confluence: config, confluencePages: createConfluencePages(config.settings, { sleep: async () => undefined }) } };
}
