// `npm run demo`: replays the GuitarShopPro outage through the real HTTP path against the emulated
// Slack, on the incident's own day, files its measures in an emulated Jira, exports to an emulated
// Confluence, and prints the postmortem draft the bot compiled.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { z } from 'zod';

import { ADD_TO_TIMELINE_SHORTCUT, ADD_TO_TIMELINE_VIEW, ESCALATION_ACK_ACTION, EXPORT_CONFLUENCE_ACTION, REMINDER_ACTIONS } from '../blocks/ids';
import { confluenceConfig } from '../config/confluence-config';
import { reminderEnv, reminderSettings } from '../config/reminder-config';
import { trackerConfig, trackerEnv } from '../config/tracker-config';
import { ConfluenceEmulator } from '../sandbox/confluence-emulator';
import { JiraEmulator } from '../sandbox/tracker-emulator';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import { SteerableClock } from '../sandbox/steerable-clock';
import rawScenario from './scenarios/guitarshoppro-outage.json';
import { dayjs } from '../domain/time-format';
import { el, text } from '../postmortem/confluence/xml';
import { parseScenario, stepInstant, type Scenario, type ScenarioStep } from './scenario';

export interface DemoResult {
  postmortem: string;
  channelName: string;
  outputPath?: string;
  /** The page the postmortem was exported to, on the emulated Confluence, and its body at the end. */
  confluenceUrl?: string;
  confluenceBody?: string;
  /** The announcement card as it reads at the end (its fallback text). */
  announcement?: string;
  /** The Jira tickets closing filed for the measures, as the emulated Jira has them (links: to the exported page). */
  tickets: { key: string; url: string; summary: string; assignee?: string; links: string[] }[];
}

/** The product's default update cadence; the nudges are off to keep the replay short. */
const DEMO_REMINDERS = reminderSettings(z.object(reminderEnv).parse({ INCIDENT_NUDGE_NO_ROLES: 'off', INCIDENT_NUDGE_SEVERITY_UNCHANGED: 'off' }));
const ANNOUNCE_CHANNEL = 'incidents';

function expectOk(what: string, response: { status: number; body: string }): void {
  if (response.status !== 200) throw new Error(`${what}: the app answered HTTP ${response.status} ${response.body}`);
}

/** The message carrying the button a step presses. */
function buttonFor(sandbox: Sandbox, press: 'acknowledge' | 'export', userId: string, incidentChannel?: string) {
  const actionId = press === 'acknowledge' ? ESCALATION_ACK_ACTION : EXPORT_CONFLUENCE_ACTION;
  const candidates = press === 'acknowledge' ? sandbox.emulator.directMessages(userId) : incidentChannel ? sandbox.emulator.messages(incidentChannel) : [];
  const message = [...candidates].reverse().find((m) => JSON.stringify(m.blocks ?? []).includes(actionId));
  if (!message) throw new Error(`no ${press} button to press for ${userId}`);
  return { message, actionId };
}

/** Logs the update reminders the bot posted since the last call, at the replay's time. */
function logReminders({ sandbox, scenario, channels, reminded, log }: Replay): void {
  for (const message of channels.incident ? sandbox.emulator.messages(channels.incident) : []) {
    if (reminded.has(message.ts) || !JSON.stringify(message.blocks ?? []).includes(REMINDER_ACTIONS.postUpdate)) continue;
    reminded.add(message.ts);
    const named = message.text.replace(/<@([A-Z0-9]+)>/g, (_m, id: string) => `@${sandbox.emulator.user(id)?.name ?? id}`);
    log(`${dayjs(sandbox.clock.now()).tz(scenario.timeZone).format('HH:mm')}  (the bot reminds the commander) ${named}`);
  }
}

/** Moves the clock to `at`, stopping at each reminder deadline on the way so it fires on time. */
async function advanceTo(replay: Replay, at: number): Promise<void> {
  const { sandbox, channels } = replay;
  for (;;) {
    const incident = channels.incident ? await sandbox.store.findIncidentByChannel(channels.incident) : undefined;
    const next = Math.min(...Object.values(incident?.reminders?.due ?? {}));
    if (!(next > sandbox.clock.now() && next <= at)) break;
    sandbox.clock.jumpTo(next);
    await sandbox.settle();
    logReminders(replay);
  }
  if (at > sandbox.clock.now()) sandbox.clock.jumpTo(at);
}

interface Replay {
  confluence: ConfluenceEmulator;
  sandbox: Sandbox;
  scenario: Scenario;
  channels: { start: string; incident?: string };
  /** Reminders already logged, by ts. */
  reminded: Set<string>;
  log: (line: string) => void;
}

async function playStep(replay: Replay, step: ScenarioStep): Promise<void> {
  const { sandbox, scenario, channels, log } = replay;
  // Forward only: steps in the same minute keep the order they happened in.
  await advanceTo(replay, stepInstant(scenario, step));
  if (step.press === 'add-to-timeline') return addToTimeline(replay, step);
  if (step.confluenceEdit) return editOnConfluence(replay, step, step.confluenceEdit);
  if (step.press) {
    const { message, actionId } = buttonFor(sandbox, step.press, step.user, channels.incident);
    log(`${step.at}  (${step.user} presses ${step.press === 'acknowledge' ? 'Acknowledge in the page DM' : 'Export to Confluence'})`);
    expectOk('block_actions', await sandbox.actor.clickButton(step.user, { channelId: message.channel, messageTs: message.ts, actionId }));
    await sandbox.settle();
    return;
  }
  const channelId = step.in === 'start' ? channels.start : channels.incident;
  if (!channelId) throw new Error(`step at ${step.at} needs the incident channel, which does not exist yet`);
  // Responders join the public incident channel from the link, as they would in Slack.
  if (!sandbox.emulator.channel(channelId)?.members.includes(step.user)) sandbox.emulator.joinChannel(channelId, step.user);
  if (step.reactUser && !sandbox.emulator.channel(channelId)?.members.includes(step.reactUser)) sandbox.emulator.joinChannel(channelId, step.reactUser);
  if (step.command !== undefined) {
    log(`${step.at}  /incident ${step.command.length > 90 ? `${step.command.slice(0, 87)}...` : step.command}`);
    const response = await sandbox.actor.slashCommand(step.user, channelId, step.command);
    expectOk(`/incident ${step.command.split(' ')[0]}`, response);
  } else if (step.say !== undefined) {
    log(`${step.at}  (message) ${step.say.slice(0, 90)}${step.say.length > 90 ? '...' : ''}`);
    const { ts, delivery } = await sandbox.actor.say(step.user, channelId, step.say);
    expectOk('message event', delivery);
    if (step.pin) expectOk('pin_added', await sandbox.actor.pin(step.user, channelId, ts));
    if (step.react) expectOk('reaction_added', await sandbox.actor.react(step.reactUser ?? step.user, channelId, ts, step.react));
  }
  await sandbox.settle();
}

/** The shortcut on the latest message of the step's channel, then the form's Add, picking the incident. */
async function addToTimeline({ sandbox, channels, log }: Replay, step: ScenarioStep): Promise<void> {
  const channelId = step.in === 'start' ? channels.start : channels.incident;
  const message = channelId
    ? sandbox.emulator
        .messages(channelId)
        .filter((m) => !m.botId)
        .at(-1)
    : undefined;
  const incident = channels.incident ? await sandbox.store.findIncidentByChannel(channels.incident) : undefined;
  if (!channelId || !message || !incident) throw new Error(`step at ${step.at}: no message or incident to add it to`);
  log(`${step.at}  (${step.user} adds a message from #${sandbox.emulator.channel(channelId)?.name ?? channelId} to the timeline: "Add to incident timeline")`);
  expectOk('message_action', await sandbox.actor.messageShortcut(step.user, { channelId, messageTs: message.ts, callbackId: ADD_TO_TIMELINE_SHORTCUT }));
  const form = sandbox.emulator.views().at(-1);
  if (!form) throw new Error(`step at ${step.at}: the shortcut opened no form`);
  const picked = { [ADD_TO_TIMELINE_VIEW.incidentBlock]: { [ADD_TO_TIMELINE_VIEW.incidentInput]: { type: 'static_select', selected_option: { value: incident.id } } } };
  expectOk('view_submission', await sandbox.actor.submitView(step.user, { id: form.id, private_metadata: String(form.view.private_metadata ?? ''), values: picked }));
  await sandbox.settle();
}

/** A reviewer adds a section of their own to the exported page, before the section named. */
async function editOnConfluence({ sandbox, channels, confluence, log }: Replay, step: ScenarioStep, edit: NonNullable<ScenarioStep['confluenceEdit']>): Promise<void> {
  const pageId = channels.incident ? (await sandbox.store.findIncidentByChannel(channels.incident))?.confluencePage?.pageId : undefined;
  const page = pageId ? confluence.page(pageId) : undefined;
  if (!page) throw new Error(`step at ${step.at}: no exported page to edit`);
  const heading = page.body.indexOf(`<h2>${edit.before}</h2>`);
  // Before the section's own marker, so the new section is outside the bot's blocks.
  const at = heading < 0 ? -1 : page.body.lastIndexOf('<ac:structured-macro', heading);
  if (at < 0) throw new Error(`step at ${step.at}: the page has no section "${edit.before}"`);
  log(`${step.at}  (${step.user} adds a "${edit.addSection}" section to the page on Confluence)`);
  const section = `${el('h2', text(edit.addSection))}\n${el('p', text(edit.text))}\n`;
  confluence.editPage(page.id, { body: `${page.body.slice(0, at)}${section}${page.body.slice(at)}` });
}

export async function runDemo(options: { outputDir?: string; log?: (line: string) => void; transport?: 'http' | 'socket' } = {}): Promise<DemoResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const scenario = parseScenario(rawScenario);
  const clock = new SteerableClock(stepInstant(scenario, scenario.steps[0]));
  // The emulated Confluence Cloud site the demo exports to; the credentials are the demo's own.
  const demoCredentials = { email: 'demo@guitarshoppro.example', apiToken: `demo-${process.pid}` };
  const confluence = await ConfluenceEmulator.start({ deployment: 'cloud', spaces: [{ key: 'OPS', name: 'Operations' }], cloud: demoCredentials });
  // Closing files each measure in the emulated Jira Cloud, assigned by the owner's Slack email.
  const jiraUsers = scenario.users.flatMap((u) => (u.email ? [{ id: `demo-${u.name}`, email: u.email, displayName: u.realName }] : []));
  const jira = await JiraEmulator.start({ deployment: 'cloud', cloud: demoCredentials, users: jiraUsers, now: () => clock.now() });
  const tracker = demoTracker(jira.baseUrl, demoCredentials);
  const sandbox = await startSandbox({
    timeZone: scenario.timeZone,
    teamId: scenario.teamId,
    clock,
    transport: options.transport ?? 'http',
    announceChannelName: ANNOUNCE_CHANNEL,
    reminders: DEMO_REMINDERS,
    confluence: confluenceConfig({
      CONFLUENCE_BASE_URL: confluence.baseUrl,
      CONFLUENCE_DEPLOYMENT: 'cloud',
      CONFLUENCE_SPACE_KEY: 'OPS',
      CONFLUENCE_EMAIL: demoCredentials.email,
      CONFLUENCE_API_TOKEN: demoCredentials.apiToken,
      CONFLUENCE_AUTO_EXPORT: false,
    }),
    tracker,
  });
  try {
    for (const user of scenario.users) sandbox.emulator.addUser({ id: user.id, name: user.name, realName: user.realName, ...(user.email ? { email: user.email } : {}) });
    const start = sandbox.emulator.createChannel({ name: scenario.startChannel, members: scenario.users.map((u) => u.id) });
    const channels: { start: string; incident?: string } = { start: start.id };
    log(`Replaying over ${options.transport === 'socket' ? 'Socket Mode' : 'HTTP (signed requests to /slack/events)'}: ${scenario.description}`);
    const replay: Replay = { sandbox, confluence, scenario, channels, reminded: new Set(), log };
    for (const step of scenario.steps) {
      await playStep(replay, step);
      channels.incident ??= (await sandbox.store.listOpenIncidents(scenario.teamId))[0]?.chat?.channelId;
    }
    const incident = await sandbox.store.findIncidentByChannel(channels.incident ?? '');
    if (!incident) throw new Error('the bot did not open an incident channel');
    const postmortem = await sandbox.store.latestPostmortem(incident.id);
    if (!postmortem) throw new Error('the bot did not compile a postmortem');
    const channelName = incident.chat?.channelName ?? '';
    let outputPath: string | undefined;
    if (options.outputDir) {
      mkdirSync(options.outputDir, { recursive: true });
      outputPath = join(options.outputDir, `postmortem-INC-${incident.number}.md`);
      writeFileSync(outputPath, postmortem.markdown);
    }
    const exportedPage = (await sandbox.store.getIncident(incident.id))?.confluencePage;
    const confluenceUrl = exportedPage?.url;
    const confluenceBody = exportedPage ? confluence.page(exportedPage.pageId)?.body : undefined;
    const announceId = sandbox.emulator.channelByName(ANNOUNCE_CHANNEL)?.id;
    const announcement = announceId ? sandbox.emulator.messages(announceId)[0]?.text : undefined;
    const assigneeName = new Map(jiraUsers.map((u) => [u.id, u.displayName]));
    const tickets = jira.issues().map((issue) => {
      const assignee = issue.assigneeId ? assigneeName.get(issue.assigneeId) : undefined;
      return { key: issue.key, url: `${jira.baseUrl}/browse/${issue.key}`, summary: issue.summary, ...(assignee ? { assignee } : {}), links: issue.remoteLinks.map((l) => l.url) };
    });
    return {
      postmortem: postmortem.markdown,
      channelName,
      ...(outputPath ? { outputPath } : {}),
      ...(confluenceUrl ? { confluenceUrl } : {}),
      ...(confluenceBody ? { confluenceBody } : {}),
      ...(announcement ? { announcement } : {}),
      tickets,
    };
  } finally {
    await sandbox.stop();
    await confluence.stop();
    await jira.stop();
  }
}

/** Read through the product's own configuration, as TRACKER=jira … in the environment would be. */
function demoTracker(baseUrl: string, credentials: { email: string; apiToken: string }) {
  const { config, problems } = trackerConfig(
    z.object(trackerEnv).parse({
      TRACKER: 'jira',
      JIRA_BASE_URL: baseUrl,
      JIRA_DEPLOYMENT: 'cloud',
      JIRA_PROJECT_KEY: 'OPS',
      JIRA_EMAIL: credentials.email,
      JIRA_API_TOKEN: credentials.apiToken,
      TRACKER_AUTO_CREATE: 'true',
    }),
  );
  if (problems.length > 0) throw new Error(`demo tracker settings: ${problems.join('; ')}`);
  return config;
}

if (require.main === module) {
  runDemo({ outputDir: 'demo-output', transport: process.argv.includes('--socket') ? 'socket' : 'http' })
    .then((result) => {
      if (result.announcement) process.stdout.write(`\nAnnouncement card in #${ANNOUNCE_CHANNEL} (edited in place): ${result.announcement}\n`);
      process.stdout.write(`\nIncident channel: #${result.channelName}\n\n${'─'.repeat(72)}\n${result.postmortem}\n${'─'.repeat(72)}\n`);
      if (result.outputPath) process.stdout.write(`Postmortem draft written to ${result.outputPath}\n`);
      if (result.confluenceUrl) process.stdout.write(`Exported to the emulated Confluence: ${result.confluenceUrl}\n`);
      for (const t of result.tickets) process.stdout.write(`Filed in the emulated Jira: ${t.key} ${t.summary.slice(0, 60)}… (${t.assignee ?? 'unassigned'}) ${t.url}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`Demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
