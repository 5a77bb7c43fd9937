// The JQL the bot needs, read as Jira reads it: clauses on project, labels and key (`=` or `in`)
// joined by AND, and an optional ORDER BY created/key/updated. Anything else is refused with a 400
// rather than half-understood, so a query that works here means the same in Jira. Error texts
// follow Jira's ("Error in the JQL Query: …", "The value 'X' does not exist for the field
// 'project'."); the ones about what the emulator does not support are ours and say so.
import type { JiraStore, StoredIssue } from './jira-store';

type Token = { kind: 'word' | 'string' | 'op' | 'open' | 'close' | 'comma'; text: string; at: number };

export class JqlError extends Error {}

// Characters JQL reserves outside quoted strings (Atlassian's JQL reference).
const RESERVED = new Set('+.;?|*/%^$#@[]');
const OPERATOR = /^(!=|!~|<=|>=|=|~|<|>)/;
const WORD_END = /[\s=!~<>(),"']/;

function syntaxError(message: string, at: number): JqlError {
  return new JqlError(`Error in the JQL Query: ${message} (line 1, character ${at})`);
}

function unsupported(what: string): JqlError {
  return new JqlError(
    `Error in the JQL Query: the emulator supports only project, labels and key clauses (= or in) joined by AND, with ORDER BY created, updated or key; not ${what}.`,
  );
}

function quoted(jql: string, start: number): { text: string; end: number } {
  const quote = jql[start];
  let text = '';
  for (let i = start + 1; i < jql.length; i++) {
    const c = jql[i];
    if (c === '\\' && i + 1 < jql.length) {
      text += jql[++i];
    } else if (c === quote) {
      return { text, end: i + 1 };
    } else {
      text += c;
    }
  }
  throw syntaxError(`The quoted string '${jql.slice(start + 1)}' has not been completed.`, start + 1);
}

function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < jql.length) {
    const c = jql[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      const { text, end } = quoted(jql, i);
      tokens.push({ kind: 'string', text, at: i + 1 });
      i = end;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c === '(' ? 'open' : c === ')' ? 'close' : 'comma', text: c, at: i + 1 });
      i++;
    } else if (OPERATOR.test(jql.slice(i))) {
      const op = OPERATOR.exec(jql.slice(i))?.[0] ?? c;
      tokens.push({ kind: 'op', text: op, at: i + 1 });
      i += op.length;
    } else {
      let end = i;
      while (end < jql.length && !WORD_END.test(jql[end])) {
        if (RESERVED.has(jql[end])) {
          const code = jql.charCodeAt(end).toString(16).padStart(4, '0');
          throw syntaxError(`The character '${jql[end]}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${code}' instead.`, end + 1);
        }
        end++;
      }
      tokens.push({ kind: 'word', text: jql.slice(i, end), at: i + 1 });
      i = end;
    }
  }
  return tokens;
}

type Field = 'project' | 'labels' | 'key';
interface Clause {
  field: Field;
  values: string[];
}
interface SortKey {
  field: 'created' | 'updated' | 'key';
  descending: boolean;
}

const FIELDS: Record<string, Field> = { project: 'project', labels: 'labels', label: 'labels', key: 'key', issuekey: 'key' };

class Parser {
  private i = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private next(expecting: string): Token {
    const token = this.tokens[this.i++];
    if (!token) throw syntaxError(`Expecting ${expecting} but reached the end of the query.`, this.length + 1);
    return token;
  }

  private isWord(token: Token | undefined, word: string): boolean {
    return token?.kind === 'word' && token.text.toLowerCase() === word;
  }

  private value(): string {
    const token = this.next('a value');
    if (token.kind !== 'word' && token.kind !== 'string') throw syntaxError(`Expecting either a value, list or function but got '${token.text}'.`, token.at);
    return token.text;
  }

  private clause(): Clause {
    const token = this.next('a field name');
    if (token.kind === 'open') throw unsupported('parentheses');
    if (token.kind !== 'word' && token.kind !== 'string') throw syntaxError(`Expecting a field name but got '${token.text}'.`, token.at);
    const field = FIELDS[token.text.toLowerCase()];
    if (!field) throw unsupported(`the field '${token.text}'`);
    const op = this.next('an operator');
    if (op.kind === 'op' && op.text === '=') return { field, values: [this.value()] };
    if (!this.isWord(op, 'in')) throw unsupported(`the operator '${op.text}'`);
    const open = this.next("'('");
    if (open.kind !== 'open') throw syntaxError(`Expecting '(' but got '${open.text}'.`, open.at);
    const values = [this.value()];
    for (let sep = this.next("')'"); sep.kind !== 'close'; sep = this.next("')'")) {
      if (sep.kind !== 'comma') throw syntaxError(`Expecting ',' or ')' but got '${sep.text}'.`, sep.at);
      values.push(this.value());
    }
    return { field, values };
  }

  private orderBy(): SortKey[] {
    this.next('ORDER');
    const by = this.next('BY');
    if (!this.isWord(by, 'by')) throw syntaxError(`Expecting 'by' but got '${by.text}'.`, by.at);
    const keys: SortKey[] = [];
    do {
      const field = this.next('a field name');
      const name = field.text.toLowerCase();
      if (name !== 'created' && name !== 'updated' && name !== 'key') throw unsupported(`ORDER BY ${field.text}`);
      const direction = this.peek();
      const descending = this.isWord(direction, 'desc');
      if (descending || this.isWord(direction, 'asc')) this.i++;
      keys.push({ field: name, descending });
    } while (this.peek()?.kind === 'comma' && ++this.i);
    return keys;
  }

  parse(): { clauses: Clause[]; order: SortKey[] } {
    const clauses: Clause[] = [];
    let order: SortKey[] = [];
    while (this.peek() && !this.isWord(this.peek(), 'order')) {
      if (clauses.length > 0) {
        const joiner = this.next("'AND'");
        if (this.isWord(joiner, 'or')) throw unsupported('OR');
        if (!this.isWord(joiner, 'and')) throw syntaxError(`Expecting either 'OR' or 'AND' but got '${joiner.text}'.`, joiner.at);
      }
      if (this.isWord(this.peek(), 'not')) throw unsupported('NOT');
      clauses.push(this.clause());
    }
    if (this.peek()) order = this.orderBy();
    const extra = this.peek();
    if (extra) throw syntaxError(`Expecting ',' or the end of the query but got '${extra.text}'.`, extra.at);
    return { clauses, order };
  }
}

const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-\d+$/i;

function check(store: JiraStore, clause: Clause): void {
  for (const value of clause.values) {
    if (clause.field === 'project' && !store.project(value)) throw new JqlError(`The value '${value}' does not exist for the field 'project'.`);
    if (clause.field === 'key') {
      if (!ISSUE_KEY.test(value)) throw new JqlError(`The issue key '${value}' for field 'key' is invalid.`);
      if (!store.issue(value)) throw new JqlError(`An issue with key '${value}' does not exist for field 'key'.`);
    }
  }
}

function matches(store: JiraStore, clause: Clause, issue: StoredIssue): boolean {
  switch (clause.field) {
    case 'project':
      return clause.values.some((v) => store.project(v)?.id === issue.projectId);
    case 'labels':
      // Compared exactly: the emulator does not assume Jira folds label case.
      return clause.values.some((v) => issue.labels.includes(v));
    case 'key':
      return clause.values.some((v) => store.issue(v)?.id === issue.id);
  }
}

function sortValue(a: StoredIssue, b: StoredIssue, field: SortKey['field']): number {
  // Ids grow with creation, so they order by created; keys order by project, then number.
  if (field === 'created') return Number(a.id) - Number(b.id);
  if (field === 'updated') return Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || Number(a.id) - Number(b.id);
  const number = (issue: StoredIssue) => Number(issue.key.slice(issue.key.lastIndexOf('-') + 1));
  return a.projectKey.localeCompare(b.projectKey) || number(a) - number(b);
}

function compare(order: SortKey[]): (a: StoredIssue, b: StoredIssue) => number {
  // Without ORDER BY the newest issue comes first.
  const keys: SortKey[] = order.length ? order : [{ field: 'created', descending: true }];
  return (a, b) => {
    for (const { field, descending } of keys) {
      const order = sortValue(a, b, field);
      if (order !== 0) return descending ? -order : order;
    }
    return 0;
  };
}

/** The issues a JQL query finds, in its order; throws JqlError with Jira's message otherwise. */
export function runJql(store: JiraStore, jql: string): StoredIssue[] {
  const { clauses, order } = new Parser(tokenize(jql), jql.length).parse();
  clauses.forEach((clause) => check(store, clause));
  return store
    .all()
    .filter((issue) => clauses.every((clause) => matches(store, clause, issue)))
    .sort(compare(order));
}
