// find / aggregate / count / distinct / getMore / killCursors, evaluated by mingo.
import { Aggregator, find as mingoFind } from 'mingo';
import type { Document } from 'bson';
import { docArray, optionalDoc, targetName, type CommandContext, type Handler } from './context';
import { CommandError } from './errors';
import { cloneDoc, keyString, pathValues } from './values';

type MingoOptions = NonNullable<ConstructorParameters<typeof Aggregator>[1]>;
type SortSpec = Record<string, 1 | -1>;

function docsOf(ctx: CommandContext, name: string): Document[] {
  return ctx.view.get(ctx.db, name)?.docs ?? [];
}

function nonEmpty(d: Document | undefined): Document | undefined {
  return d && Object.keys(d).length > 0 ? d : undefined;
}

function mingoOptions(cmd: Document, ctx: CommandContext): Partial<MingoOptions> {
  const options: { collation?: MingoOptions['collation']; collectionResolver: MingoOptions['collectionResolver'] } = {
    // $lookup/$unionWith read other collections; copies keep their stored documents untouched.
    collectionResolver: (name: string) => docsOf(ctx, name).map(cloneDoc),
  };
  const collation = optionalDoc(cmd.collation);
  if (collation) options.collation = collation as MingoOptions['collation'];
  return options;
}

export const find: Handler = (cmd, ctx) => {
  const name = targetName(cmd);
  const filter = optionalDoc(cmd.filter) ?? {};
  const cursor = mingoFind(docsOf(ctx, name), filter, nonEmpty(optionalDoc(cmd.projection)), mingoOptions(cmd, ctx));
  const sort = nonEmpty(optionalDoc(cmd.sort));
  if (sort) cursor.sort(sort as SortSpec);
  if (typeof cmd.skip === 'number' && cmd.skip > 0) cursor.skip(cmd.skip);
  // A negative limit is the legacy spelling of "limit + single batch".
  const limit = typeof cmd.limit === 'number' ? Math.abs(cmd.limit) : 0;
  if (limit > 0) cursor.limit(limit);
  const singleBatch = cmd.singleBatch === true || (typeof cmd.limit === 'number' && cmd.limit < 0);
  return ctx.cursors.first(`${ctx.db}.${name}`, cursor.all() as Document[], cmd.batchSize, singleBatch);
};

const UNSUPPORTED_STAGES = ['$out', '$merge', '$changeStream', '$currentOp', '$listSessions', '$search'];

export const aggregate: Handler = (cmd, ctx) => {
  const pipeline = docArray(cmd.pipeline, 'pipeline');
  for (const stage of pipeline) {
    const op = Object.keys(stage)[0] ?? '';
    if (UNSUPPORTED_STAGES.includes(op)) {
      throw new CommandError('BadValue', `${op} is not supported by the mongo-wire test server`);
    }
  }
  if (cmd.explain === true) throw new CommandError('BadValue', 'explain is not supported by the mongo-wire test server');
  if (!optionalDoc(cmd.cursor)) throw new CommandError('FailedToParse', "The 'cursor' option is required");
  // `aggregate: 1` is a collection-less pipeline (e.g. starting with $documents).
  const name = typeof cmd.aggregate === 'string' ? cmd.aggregate : '$cmd.aggregate';
  const input = typeof cmd.aggregate === 'string' ? docsOf(ctx, name).map(cloneDoc) : [];
  const out = new Aggregator(pipeline, mingoOptions(cmd, ctx)).run(input) as Document[];
  return ctx.cursors.first(`${ctx.db}.${name}`, out, optionalDoc(cmd.cursor)?.batchSize);
};

export const count: Handler = (cmd, ctx) => {
  const cursor = mingoFind(docsOf(ctx, targetName(cmd)), optionalDoc(cmd.query) ?? {});
  if (typeof cmd.skip === 'number' && cmd.skip > 0) cursor.skip(cmd.skip);
  if (typeof cmd.limit === 'number' && cmd.limit !== 0) cursor.limit(Math.abs(cmd.limit));
  return { n: cursor.all().length };
};

export const distinct: Handler = (cmd, ctx) => {
  if (typeof cmd.key !== 'string') throw new CommandError('FailedToParse', "'key' must be a string");
  const key = cmd.key;
  const matches = mingoFind(docsOf(ctx, targetName(cmd)), optionalDoc(cmd.query) ?? {}).all() as Document[];
  const seen = new Map<string, unknown>();
  for (const doc of matches) {
    for (const v of pathValues(doc, key)) if (v !== undefined && !seen.has(keyString(v))) seen.set(keyString(v), v);
  }
  return { values: [...seen.values()] };
};

export const getMore: Handler = (cmd, ctx) => ctx.cursors.getMore(cmd, ctx.db);

export const killCursors: Handler = (cmd, ctx) => ctx.cursors.kill(cmd);
