// The /incident grammar: one registry entry per subcommand, each with its usage line, so help text
// and "wrong arguments" answers are generated from the same place as the parser.

import type { EscalationTarget } from '../domain/escalation';
import { parseSettableStatus, parseSeverity, SEVERITIES, type Severity, type SettableStatus } from '../domain/incident';
import { parseEscalationTarget, parseUserMention, splitTrailingMention } from './mentions';

export type IncidentCommand =
  | { name: 'start'; title?: string; severity?: Severity; isPrivate: boolean }
  | { name: 'note'; text: string }
  | { name: 'update'; status?: 'investigating' | 'identified' | 'monitoring'; text?: string }
  | { name: 'status'; status: SettableStatus; message?: string }
  | { name: 'severity'; severity: Severity }
  | { name: 'lead'; userId: string }
  | { name: 'role'; role: string; userId: string }
  | { name: 'impact'; text: string }
  | { name: 'cause'; text: string }
  | { name: 'action'; text: string; ownerId?: string; ticket: boolean }
  | { name: 'ack' }
  | { name: 'escalate'; target: EscalationTarget; reason?: string }
  | { name: 'escalations' }
  | { name: 'resolve'; summary?: string }
  | { name: 'close'; conclusion?: string }
  | { name: 'timeline' }
  | { name: 'postmortem' }
  | { name: 'export'; target: 'confluence' | 'markdown' }
  | { name: 'list' }
  | { name: 'help'; topic?: string };

export type CommandName = IncidentCommand['name'];

export type ParseResult = { ok: true; command: IncidentCommand } | { ok: false; message: string };

interface SubcommandSpec {
  usage: string;
  summary: string;
  parse(args: string): IncidentCommand | string;
}

const SEVERITY_WORDS = SEVERITIES.join('|');

const required = (what: string) => (args: string) => (args.trim() ? undefined : `needs ${what}`);

export const SUBCOMMANDS: Record<CommandName, SubcommandSpec> = {
  start: {
    usage: `/incident start <title> [${SEVERITY_WORDS}] [--private]`,
    summary: 'Declare an incident and open its channel (no title: a form opens).',
    parse: parseStart,
  },
  note: {
    usage: '/incident note [13:15 | 1:15pm | 15m ago | yesterday 23:10] <text>',
    summary: 'Add a note to the timeline; a leading time backdates it.',
    parse: (args) => required('text')(args) ?? { name: 'note', text: args.trim() },
  },
  update: {
    usage: '/incident update [investigating|identified|monitoring] <what we know>',
    summary: 'Post a stakeholder update: in the channel, on the announcement card, and it resets the update reminder (no text: a form opens).',
    parse: parseUpdate,
  },
  status: {
    usage: '/incident status investigating|identified|monitoring|resolved [message]',
    summary: 'Change the status.',
    parse: (args) => {
      const [word = '', ...rest] = args.trim().split(/\s+/);
      const status = parseSettableStatus(word);
      if (!status) return word ? `"${word}" is not a status` : 'needs a status';
      const message = rest.join(' ').trim();
      return { name: 'status', status, ...(message ? { message } : {}) };
    },
  },
  severity: {
    usage: `/incident severity ${SEVERITY_WORDS}`,
    summary: 'Change the severity.',
    parse: (args) => {
      const severity = parseSeverity(args);
      return severity ? { name: 'severity', severity } : args.trim() ? `"${args.trim()}" is not a severity` : 'needs a severity';
    },
  },
  lead: {
    usage: '/incident lead @person',
    summary: 'Hand the incident commander role to someone.',
    parse: (args) => {
      const userId = parseUserMention(args);
      return userId ? { name: 'lead', userId } : 'needs one @mention of a person';
    },
  },
  role: {
    usage: '/incident role <role name> @person',
    summary: 'Give someone a role (e.g. comms, scribe, ops lead).',
    parse: (args) => {
      const { rest, userId } = splitTrailingMention(args);
      const role = rest.toLowerCase().replace(/\s+/g, ' ');
      if (!userId) return 'needs an @mention of a person after the role name';
      if (!role) return 'needs a role name before the @mention';
      if (role.length > 40) return 'role names are at most 40 characters';
      if (role === 'commander' || role === 'lead') return 'use /incident lead @person to change the commander';
      return { name: 'role', role, userId };
    },
  },
  impact: {
    usage: '/incident impact <who and what was affected>',
    summary: 'Record the customer impact.',
    parse: (args) => required('a description of the impact')(args) ?? { name: 'impact', text: args.trim() },
  },
  cause: {
    usage: '/incident cause <root cause>',
    summary: 'Record the root cause.',
    parse: (args) => required('a description of the root cause')(args) ?? { name: 'cause', text: args.trim() },
  },
  action: {
    usage: '/incident action <corrective or preventative measure> [@owner] [--ticket]',
    summary: "Add an action item for the postmortem; --ticket also files it in the team's tracker.",
    parse: (args) => {
      // `--ticket` as the last word (before or after the owner).
      const flag = /(^|\s)--ticket(?=\s*(<@[^>]+>)?\s*$)/i;
      const ticket = flag.test(args);
      const { rest, userId } = splitTrailingMention(args.replace(flag, ''));
      if (!rest) return 'needs the action text';
      return { name: 'action', text: rest, ...(userId ? { ownerId: userId } : {}), ticket };
    },
  },
  ack: {
    usage: '/incident ack',
    summary: 'Acknowledge: you are on it.',
    parse: (args) => (args.trim() ? 'takes no arguments' : { name: 'ack' }),
  },
  escalate: {
    usage: '/incident escalate @person|@group|<policy> [reason]',
    summary: 'Page someone: they get a DM with an Acknowledge button; policies re-escalate when nobody answers.',
    parse: (args) => {
      const [word = '', ...rest] = args.trim().split(/\s+/);
      if (!word) return 'needs who to page: an @mention, an @group or a policy name';
      const target = parseEscalationTarget(word);
      if (!target) return `"${word.slice(0, 40)}" is not an @mention, an @group or a policy name`;
      const reason = rest.join(' ').trim();
      return { name: 'escalate', target, ...(reason ? { reason } : {}) };
    },
  },
  escalations: {
    usage: '/incident escalations',
    summary: 'Show the pages of this incident and their state (only to you).',
    parse: (args) => (args.trim() ? 'takes no arguments' : { name: 'escalations' }),
  },
  resolve: {
    usage: '/incident resolve [summary of the fix]',
    summary: 'Mark the incident resolved (the end of the outage window).',
    parse: (args) => ({ name: 'resolve', ...(args.trim() ? { summary: args.trim() } : {}) }),
  },
  close: {
    usage: '/incident close [conclusion]',
    summary: 'Close the incident and compile the postmortem draft.',
    parse: (args) => ({ name: 'close', ...(args.trim() ? { conclusion: args.trim() } : {}) }),
  },
  timeline: {
    usage: '/incident timeline',
    summary: 'Show the timeline so far (only to you), with Edit / Remove on the entries you may fix.',
    parse: (args) => (args.trim() ? 'takes no arguments' : { name: 'timeline' }),
  },
  postmortem: {
    usage: '/incident postmortem',
    summary: 'Compile the postmortem draft now and post it as a file.',
    parse: (args) => (args.trim() ? 'takes no arguments' : { name: 'postmortem' }),
  },
  export: {
    usage: '/incident export confluence|markdown',
    summary: 'Export the postmortem to Confluence (creates the page, later updates it), or post the Markdown file again.',
    parse: (args) => {
      const target = args.trim().toLowerCase();
      return target === 'confluence' || target === 'markdown' ? { name: 'export', target } : target ? `"${target.slice(0, 40)}" is not an export target` : 'needs a target';
    },
  },
  list: {
    usage: '/incident list',
    summary: 'List open incidents.',
    parse: (args) => (args.trim() ? 'takes no arguments' : { name: 'list' }),
  },
  help: {
    usage: '/incident help [subcommand]',
    summary: 'Show this help.',
    parse: (args) => ({ name: 'help', ...(args.trim() ? { topic: args.trim().toLowerCase() } : {}) }),
  },
};

const MAX_TEXT = 3000;

function parseUpdate(args: string): IncidentCommand | string {
  const text = args.trim();
  if (!text) return { name: 'update' };
  const [first = '', ...rest] = text.split(/\s+/);
  const status = parseSettableStatus(first.replace(/[:,.]$/, ''));
  if (status === 'resolved') return 'cannot resolve; use /incident resolve [summary]';
  if (!status) return { name: 'update', text };
  const known = rest.join(' ').trim();
  return known ? { name: 'update', status, text: known } : `needs what we know after "${status}"`;
}

function parseStart(args: string): IncidentCommand | string {
  let isPrivate = false;
  let severity: Severity | undefined;
  const words = args
    .trim()
    .split(/\s+/)
    .filter((word) => {
      if (word.toLowerCase() === '--private') {
        isPrivate = true;
        return false;
      }
      return word !== '';
    });
  // The severity may come first or last: "sev1 checkout down" or "checkout down sev1".
  for (const index of [words.length - 1, 0]) {
    const candidate = words[index] === undefined ? undefined : parseSeverity(words[index]);
    if (candidate && !severity) {
      severity = candidate;
      words.splice(index, 1);
    }
  }
  const title = words.join(' ');
  if (title.length > 150) return 'titles are at most 150 characters; put details in a note';
  return { name: 'start', isPrivate, ...(title ? { title } : {}), ...(severity ? { severity } : {}) };
}

export function isCommandName(word: string): word is CommandName {
  return Object.prototype.hasOwnProperty.call(SUBCOMMANDS, word);
}

/** Parses the text after `/incident`. An empty text means help. */
export function parseIncidentCommand(text: string): ParseResult {
  const trimmed = text.trim();
  if (trimmed.length > MAX_TEXT) return { ok: false, message: `That is too long (${trimmed.length} characters; at most ${MAX_TEXT}).` };
  if (!trimmed) return { ok: true, command: { name: 'help' } };
  const match = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  const word = (match?.[1] ?? '').toLowerCase();
  const args = match?.[2] ?? '';
  if (!isCommandName(word)) {
    return { ok: false, message: `Unknown subcommand "${word.slice(0, 40)}". ${helpText()}` };
  }
  const spec = SUBCOMMANDS[word];
  const result = spec.parse(args);
  if (typeof result === 'string') return { ok: false, message: `\`${word}\` ${result}. Usage: \`${spec.usage}\`` };
  return { ok: true, command: result };
}

/** Generated from the registry, so it cannot drift from the parser. */
export function helpText(topic?: string): string {
  if (topic && isCommandName(topic)) {
    const spec = SUBCOMMANDS[topic];
    return `\`${spec.usage}\`\n${spec.summary}`;
  }
  const lines = (Object.keys(SUBCOMMANDS) as CommandName[]).map((name) => `• \`${SUBCOMMANDS[name].usage}\` — ${SUBCOMMANDS[name].summary}`);
  return `*Incident commands*\n${lines.join('\n')}`;
}
