// Shared setup for the sandbox tests: a running emulator with two people and the real WebClient.
import { LogLevel, WebAPIPlatformError, WebClient } from '@slack/web-api';
import { SlackEmulator } from '../../../src/sandbox/slack-emulator';

export const BOT_TOKEN = 'xoxb-test-1111-abcdef';
export const ALICE = 'U0ALICE01';
export const BOB = 'U0BOB0001';

export async function startEmulator(options: { clock?: { now(): number }; triggerTtlMs?: number } = {}): Promise<SlackEmulator> {
  const emulator = await SlackEmulator.start({ botToken: BOT_TOKEN, teamId: 'T0TEST', ...options });
  emulator.addUser({ id: ALICE, name: 'alice', realName: 'Alice Achieng', tz: 'Africa/Nairobi' });
  emulator.addUser({ id: BOB, name: 'bob', realName: 'Bob Baraka' });
  return emulator;
}

/** The client the app uses, pointed at the emulator, without retries so failures surface at once. `null`: no token. */
export function clientFor(emulator: SlackEmulator, token: string | null = BOT_TOKEN, extra: object = {}): WebClient {
  return new WebClient(token ?? undefined, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR, ...extra });
}

/** The Slack error code of a failed call (fails the test if the call succeeds or fails otherwise). */
export async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (err) {
    if (err instanceof WebAPIPlatformError) return err.data.error;
    throw err;
  }
  throw new Error('expected the call to fail');
}
