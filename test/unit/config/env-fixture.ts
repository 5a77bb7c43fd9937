import { ConfigError, loadConfig } from '../../../src/config/config';

/** The two values HTTP mode requires; every config test starts from them. */
export const BASE = { SLACK_BOT_TOKEN: 'xoxb-123-secretvalue', SLACK_SIGNING_SECRET: 'signing-secret-value' };

/** The problems startup reports for this environment (fails the test if it starts). */
export function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
