import { helpText, parseIncidentCommand, SUBCOMMANDS, type CommandName } from '../../../src/commands/grammar';

function ok(text: string) {
  const result = parseIncidentCommand(text);
  if (!result.ok) throw new Error(`expected "${text}" to parse, got: ${result.message}`);
  return result.command;
}

function refused(text: string): string {
  const result = parseIncidentCommand(text);
  if (result.ok) throw new Error(`expected "${text}" to be refused, got ${JSON.stringify(result.command)}`);
  return result.message;
}

describe('the /incident grammar', () => {
  it('when the text is empty, then it is help', () => {
    expect(ok('   ')).toEqual({ name: 'help' });
  });

  it('when starting with a severity at the end or the start, then both are understood', () => {
    expect(ok('start Checkout is slow sev2')).toEqual({ name: 'start', title: 'Checkout is slow', severity: 'sev2', isPrivate: false });
    expect(ok('start SEV1 Payments down')).toEqual({ name: 'start', title: 'Payments down', severity: 'sev1', isPrivate: false });
  });

  it('when start has no title, then the command asks for the form (no title)', () => {
    expect(ok('start')).toEqual({ name: 'start', isPrivate: false });
    expect(ok('start --private sev3')).toEqual({ name: 'start', isPrivate: true, severity: 'sev3' });
  });

  it('when the subcommand is written in capitals, then it still parses', () => {
    expect(ok('NOTE hello')).toEqual({ name: 'note', text: 'hello' });
  });

  it('when a note keeps its leading time, then the time is left for the note parser', () => {
    expect(ok('note 13:15 assumed a DDoS')).toEqual({ name: 'note', text: '13:15 assumed a DDoS' });
  });

  it('when status has a message, then both are kept', () => {
    expect(ok('status monitoring fix deployed, watching')).toEqual({ name: 'status', status: 'monitoring', message: 'fix deployed, watching' });
    expect(refused('status fixed')).toContain('/incident status investigating|identified|monitoring|resolved');
  });

  it('when lead or role names a person with an escaped mention, then the user id is extracted', () => {
    expect(ok('lead <@U123ABC|ann>')).toEqual({ name: 'lead', userId: 'U123ABC' });
    expect(ok('role Comms Lead <@W999>')).toEqual({ name: 'role', role: 'comms lead', userId: 'W999' });
    expect(refused('lead ann')).toContain('Usage: `/incident lead @person`');
    expect(refused('role <@U1>')).toContain('role name');
  });

  it('when an action ends with a mention, then it is the owner; otherwise there is none', () => {
    expect(ok('action fix failover <@U2|bo>')).toEqual({ name: 'action', text: 'fix failover', ownerId: 'U2', ticket: false });
    expect(ok('action add alerts on latency')).toEqual({ name: 'action', text: 'add alerts on latency', ticket: false });
  });

  it('when an action ends with --ticket (before or after the owner), then it asks for a ticket; elsewhere it is text', () => {
    expect(ok('action fix failover --ticket <@U2|bo>')).toEqual({ name: 'action', text: 'fix failover', ownerId: 'U2', ticket: true });
    expect(ok('action fix failover <@U2|bo> --TICKET')).toEqual({ name: 'action', text: 'fix failover', ownerId: 'U2', ticket: true });
    expect(ok('action explain --ticket flags to new hires')).toEqual({ name: 'action', text: 'explain --ticket flags to new hires', ticket: false });
    expect(refused('action --ticket')).toContain('needs the action text');
  });

  it('when a subcommand is unknown, then the answer lists what exists', () => {
    const message = refused('frobnicate now');
    expect(message).toContain('Unknown subcommand "frobnicate"');
    expect(message).toContain('/incident note');
  });

  it('when arguments are missing, then the answer is the usage line of that subcommand', () => {
    for (const name of ['note', 'impact', 'cause', 'severity'] as CommandName[]) {
      expect(refused(name)).toContain(`Usage: \`${SUBCOMMANDS[name].usage}\``);
    }
  });

  it('when the text is huge, then it is refused with its length, not parsed', () => {
    expect(refused(`note ${'x'.repeat(5000)}`)).toContain('too long');
  });

  it('when help is generated, then every subcommand appears with its usage', () => {
    const help = helpText();
    for (const spec of Object.values(SUBCOMMANDS)) expect(help).toContain(spec.usage);
    expect(helpText('note')).toContain('backdates');
  });

  it('when random text is parsed, then it never throws', () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = ['start', 'note', 'lead', 'role', ' ', '<@U1>', '<!channel>', 'sev1', '\u202e', '😀', '\n', '13:15', '|', '>', '&lt;'];
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: Math.floor(rnd() * 12) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
      expect(() => parseIncidentCommand(text)).not.toThrow();
    }
  });
});
