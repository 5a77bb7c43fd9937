// What every command handler receives, plus small argument helpers.
import type { Document, ObjectId } from 'bson';
import type { CursorRegistry } from './cursors';
import { CommandError } from './errors';
import type { Storage, StoreView } from './store';

export interface CommandContext {
  /** The command's $db. */
  db: string;
  /** Committed data, or the running transaction's copy when the command is part of one. */
  view: StoreView;
  storage: Storage;
  cursors: CursorRegistry;
  port: number;
  connectionId: number;
  /** Identifies this server run in hello's topologyVersion. */
  processId: ObjectId;
}

export type Handler = (cmd: Document, ctx: CommandContext) => Document;

/** The collection a command targets: the value of its first field (`{ find: 'users' }`). */
export function targetName(cmd: Document): string {
  const name = Object.values(cmd)[0];
  if (typeof name !== 'string' || name.length === 0) {
    throw new CommandError('BadValue', `collection name must be a non-empty string, got ${String(name)}`);
  }
  return name;
}

export function docArray(value: unknown, field: string): Document[] {
  if (!Array.isArray(value)) throw new CommandError('FailedToParse', `'${field}' must be an array`);
  return value as Document[];
}

export function optionalDoc(value: unknown): Document | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Document) : undefined;
}
