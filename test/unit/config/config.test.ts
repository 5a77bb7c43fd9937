import { loadConfig, secretsOf } from '../../../src/config/config';
import { BASE, problemsOf } from './env-fixture';

describe('configuration', () => {
  it('when only the required values are set, then defaults fill the rest (HTTP mode)', () => {
    const config = loadConfig(BASE);
    expect(config).toMatchObject({
      port: 3000,
      timeZone: 'UTC',
      channelPrefix: 'inc',
      sqlite: { path: './data/incidents.db', synchronous: 'FULL' },
      slack: { socketMode: false },
      effectLeaseMs: 15_000,
    });
  });

  it('when the effect lease is set, then it is read as a duration and bounded', () => {
    expect(loadConfig({ ...BASE, INCIDENT_EFFECT_LEASE: '2s' }).effectLeaseMs).toBe(2_000);
    expect(loadConfig({ ...BASE, INCIDENT_EFFECT_LEASE: '1m30s' }).effectLeaseMs).toBe(90_000);
    expect(loadConfig({ ...BASE, INCIDENT_EFFECT_LEASE: ' ' }).effectLeaseMs).toBe(15_000); // empty in .env: the default
    for (const bad of ['15', '500ms', '0s', '1h', 'soon']) {
      expect(problemsOf({ ...BASE, INCIDENT_EFFECT_LEASE: bad })).toEqual(['INCIDENT_EFFECT_LEASE must be a duration from 1s to 10m, such as 15s']);
    }
  });

  it('when an app-level token is set, then Socket Mode is used and no signing secret is needed', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: BASE.SLACK_BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-1-abc' });
    expect(config.slack.socketMode).toBe(true);
  });

  it('when values are bad, then each problem names its variable and no secret is echoed', () => {
    const problems = problemsOf({
      SLACK_BOT_TOKEN: 'not-a-token-supersecret',
      SLACK_SIGNING_SECRET: 'x',
      PORT: 'eighty',
      INCIDENT_TIMEZONE: 'Mars/Olympus',
      INCIDENT_CHANNEL_PREFIX: 'Bad Prefix!',
      SLACK_API_URL: 'ftp://nope',
    });
    const text = problems.join('\n');
    for (const name of ['SLACK_BOT_TOKEN', 'PORT', 'INCIDENT_TIMEZONE', 'INCIDENT_CHANNEL_PREFIX', 'SLACK_API_URL']) expect(text).toContain(name);
    expect(text).not.toContain('supersecret');
  });

  it('when the bot token is missing, then the message says what it is', () => {
    expect(problemsOf({ SLACK_SIGNING_SECRET: 's' }).join()).toMatch(/SLACK_BOT_TOKEN .*xoxb/);
  });

  it('when neither a signing secret nor an app token is set, then startup is refused with both options named', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: BASE.SLACK_BOT_TOKEN }).join()).toMatch(/SLACK_SIGNING_SECRET.*SLACK_APP_TOKEN/);
  });

  it('when secrets are listed, then every configured secret is included', () => {
    expect(secretsOf(loadConfig(BASE))).toEqual([BASE.SLACK_BOT_TOKEN, BASE.SLACK_SIGNING_SECRET]);
  });

  it('when reminders are not configured, then sev1–sev3 get updates due every 15, 30 and 60 minutes, sev4 none, and both nudges are on', () => {
    expect(loadConfig(BASE).reminders).toEqual({
      updateEvery: { sev1: 15 * 60_000, sev2: 30 * 60_000, sev3: 60 * 60_000 },
      rolesAfterMs: 30 * 60_000,
      severityAfterMs: 2 * 60 * 60_000,
    });
  });

  it('when the cadence is set for some severities, then the others keep their default; off turns one or a nudge off', () => {
    const config = loadConfig({ ...BASE, INCIDENT_UPDATE_EVERY: 'sev1=10m, sev3=off,sev4=2h', INCIDENT_NUDGE_NO_ROLES: 'off', INCIDENT_NUDGE_SEVERITY_UNCHANGED: '90m' });
    expect(config.reminders).toEqual({ updateEvery: { sev1: 10 * 60_000, sev2: 30 * 60_000, sev4: 2 * 60 * 60_000 }, severityAfterMs: 90 * 60_000 });
  });

  it('when a reminder setting is malformed, then each problem names its variable and what it accepts, all at once', () => {
    expect(problemsOf({ ...BASE, INCIDENT_UPDATE_EVERY: 'sev1=10', INCIDENT_NUDGE_NO_ROLES: 'soon', INCIDENT_NUDGE_SEVERITY_UNCHANGED: '30s' })).toEqual([
      'INCIDENT_UPDATE_EVERY sev1=… must be a duration from 1m to 24h (such as 15m or 2h) or off',
      'INCIDENT_NUDGE_NO_ROLES must be a duration from 1m to 24h (such as 15m or 2h) or off',
      'INCIDENT_NUDGE_SEVERITY_UNCHANGED must be a duration from 1m to 24h (such as 15m or 2h) or off',
    ]);
    expect(problemsOf({ ...BASE, INCIDENT_UPDATE_EVERY: 'critical=5m' })).toEqual([
      'INCIDENT_UPDATE_EVERY must be severity=duration pairs such as sev1=15m,sev2=30m,sev3=60m,sev4=off (found "critical=5m")',
    ]);
    expect(problemsOf({ ...BASE, INCIDENT_UPDATE_EVERY: 'sev2=25h' })).toEqual(['INCIDENT_UPDATE_EVERY sev2=… must be a duration from 1m to 24h (such as 15m or 2h) or off']);
  });

  it('when the outbox retry budget is set, then it is read as a duration from 1m to 24h (30m by default)', () => {
    expect(loadConfig(BASE).effectRetryBudgetMs).toBe(30 * 60_000);
    expect(loadConfig({ ...BASE, INCIDENT_EFFECT_RETRY_BUDGET: '2h' }).effectRetryBudgetMs).toBe(2 * 60 * 60_000);
    expect(problemsOf({ ...BASE, INCIDENT_EFFECT_RETRY_BUDGET: '10s' })).toEqual(['INCIDENT_EFFECT_RETRY_BUDGET must be a duration from 1m to 24h, such as 30m']);
  });

  it('when channel archiving is set, then it is a duration from 1m to 720h after close, off by default', () => {
    expect(loadConfig(BASE)).not.toHaveProperty('archiveAfterMs');
    expect(loadConfig({ ...BASE, INCIDENT_ARCHIVE_AFTER: 'off' })).not.toHaveProperty('archiveAfterMs');
    expect(loadConfig({ ...BASE, INCIDENT_ARCHIVE_AFTER: '72h' }).archiveAfterMs).toBe(72 * 60 * 60_000);
    for (const bad of ['30s', '721h', '3d', 'never']) {
      expect(problemsOf({ ...BASE, INCIDENT_ARCHIVE_AFTER: bad })).toEqual(['INCIDENT_ARCHIVE_AFTER must be a duration from 1m to 720h (30 days), such as 72h, or off']);
    }
  });

  it('when the bot token is a user token (xoxp-), then startup refuses it: the bot must not act as a person', () => {
    expect(problemsOf({ ...BASE, SLACK_BOT_TOKEN: 'xoxp-1234-5678-abcdef' })).toEqual([
      'SLACK_BOT_TOKEN must be a bot token starting with xoxb- (a user token, xoxp-, acts as a person)',
    ]);
  });
});
