// `npm run demo`: replays the GuitarShopPro outage through the real HTTP path against the emulated
// Slack, on the incident's own day, and prints the postmortem draft the bot compiled.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ESCALATION_ACK_ACTION, EXPORT_CONFLUENCE_ACTION } from '../blocks/ids';
import { confluenceConfig } from '../config/confluence-config';
import { ConfluenceEmulator } from '../sandbox/confluence-emulator';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import { SteerableClock } from '../sandbox/steerable-clock';
import rawScenario from './scenarios/guitarshoppro-outage.json';
import { parseScenario, stepInstant, type Scenario, type ScenarioStep } from './scenario';

export interface DemoResult {
  postmortem: string;
  channelName: string;
  outputPath?: string;
  /** The page the postmortem was exported to, on the emulated Confluence. */
  confluenceUrl?: string;
}

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

async function playStep(sandbox: Sandbox, scenario: Scenario, step: ScenarioStep, channels: { start: string; incident?: string }, log: (line: string) => void): Promise<void> {
  // Forward only: steps in the same minute keep the order they happened in.
  const at = stepInstant(scenario, step);
  if (at > sandbox.clock.now()) sandbox.clock.jumpTo(at);
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

export async function runDemo(options: { outputDir?: string; log?: (line: string) => void; transport?: 'http' | 'socket' } = {}): Promise<DemoResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const scenario = parseScenario(rawScenario);
  const clock = new SteerableClock(stepInstant(scenario, scenario.steps[0]));
  // The emulated Confluence Cloud site the demo exports to; the credentials are the demo's own.
  const demoCredentials = { email: 'demo@guitarshoppro.example', apiToken: `demo-${process.pid}` };
  const confluence = await ConfluenceEmulator.start({ deployment: 'cloud', spaces: [{ key: 'OPS', name: 'Operations' }], cloud: demoCredentials });
  const sandbox = await startSandbox({
    timeZone: scenario.timeZone,
    teamId: scenario.teamId,
    clock,
    transport: options.transport ?? 'http',
    confluence: confluenceConfig({
      CONFLUENCE_BASE_URL: confluence.baseUrl,
      CONFLUENCE_DEPLOYMENT: 'cloud',
      CONFLUENCE_SPACE_KEY: 'OPS',
      CONFLUENCE_EMAIL: demoCredentials.email,
      CONFLUENCE_API_TOKEN: demoCredentials.apiToken,
      CONFLUENCE_AUTO_EXPORT: false,
    }),
  });
  try {
    for (const user of scenario.users) sandbox.emulator.addUser({ id: user.id, name: user.name, realName: user.realName });
    const start = sandbox.emulator.createChannel({ name: scenario.startChannel, members: scenario.users.map((u) => u.id) });
    const channels: { start: string; incident?: string } = { start: start.id };
    log(`Replaying over ${options.transport === 'socket' ? 'Socket Mode' : 'HTTP (signed requests to /slack/events)'}: ${scenario.description}`);
    for (const step of scenario.steps) {
      await playStep(sandbox, scenario, step, channels, log);
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
    const confluenceUrl = (await sandbox.store.getIncident(incident.id))?.confluencePage?.url;
    return { postmortem: postmortem.markdown, channelName, ...(outputPath ? { outputPath } : {}), ...(confluenceUrl ? { confluenceUrl } : {}) };
  } finally {
    await sandbox.stop();
    await confluence.stop();
  }
}

if (require.main === module) {
  runDemo({ outputDir: 'demo-output', transport: process.argv.includes('--socket') ? 'socket' : 'http' })
    .then((result) => {
      process.stdout.write(`\nIncident channel: #${result.channelName}\n\n${'─'.repeat(72)}\n${result.postmortem}\n${'─'.repeat(72)}\n`);
      if (result.outputPath) process.stdout.write(`Postmortem draft written to ${result.outputPath}\n`);
      if (result.confluenceUrl) process.stdout.write(`Exported to the emulated Confluence: ${result.confluenceUrl}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`Demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
