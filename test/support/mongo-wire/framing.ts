// MongoDB wire-protocol framing: splitting the TCP stream into messages, decoding OP_MSG /
// OP_QUERY requests into one command document, and encoding OP_MSG / OP_REPLY responses.
// Spec: https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/
import { deserialize, serialize, type Document } from 'bson';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

export const FLAG_CHECKSUM_PRESENT = 1 << 0;
export const FLAG_MORE_TO_COME = 1 << 1;
export const FLAG_EXHAUST_ALLOWED = 1 << 16;

const HEADER_SIZE = 16;
/** The server's advertised maxMessageSizeBytes; anything larger is a framing bug or garbage. */
export const MAX_MESSAGE_SIZE = 48_000_000;

export interface WireRequest {
  requestId: number;
  opCode: typeof OP_MSG | typeof OP_QUERY;
  /** OP_MSG flag bits (0 for OP_QUERY). */
  flags: number;
  /** The command, with OP_MSG kind-1 document sequences folded in as arrays. */
  command: Document;
  /** Target database ($db for OP_MSG, the `db.$cmd` prefix for OP_QUERY). */
  db: string;
}

export class ProtocolError extends Error {}

/** Accumulates socket chunks and yields complete messages; a message may span many chunks. */
export class MessageReader {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): WireRequest[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const out: WireRequest[] = [];
    while (this.buffered.length >= 4) {
      const size = this.buffered.readInt32LE(0);
      if (size < HEADER_SIZE || size > MAX_MESSAGE_SIZE) throw new ProtocolError(`bad message length ${size}`);
      if (this.buffered.length < size) break;
      out.push(decodeMessage(this.buffered.subarray(0, size)));
      this.buffered = this.buffered.subarray(size);
    }
    return out;
  }
}

// Keep promoted JS numbers for int32/double (mingo's arithmetic and comparisons need plain numbers).
const BSON_READ = { promoteLongs: true, promoteValues: true, promoteBuffers: false } as const;

function readDocument(buf: Buffer, offset: number): { doc: Document; end: number } {
  const len = buf.readInt32LE(offset);
  if (len < 5 || offset + len > buf.length) throw new ProtocolError('truncated BSON document');
  return { doc: deserialize(buf.subarray(offset, offset + len), BSON_READ), end: offset + len };
}

function readCString(buf: Buffer, offset: number): { value: string; end: number } {
  const nul = buf.indexOf(0, offset);
  if (nul < 0) throw new ProtocolError('unterminated cstring');
  return { value: buf.toString('utf8', offset, nul), end: nul + 1 };
}

export function decodeMessage(msg: Buffer): WireRequest {
  const requestId = msg.readInt32LE(4);
  const opCode = msg.readInt32LE(12);
  if (opCode === OP_MSG) return decodeOpMsg(msg, requestId);
  if (opCode === OP_QUERY) return decodeOpQuery(msg, requestId);
  // OP_COMPRESSED is never used because the handshake advertises no compressors.
  throw new ProtocolError(`unsupported opCode ${opCode}`);
}

function decodeOpMsg(msg: Buffer, requestId: number): WireRequest {
  const flags = msg.readUInt32LE(HEADER_SIZE);
  // The CRC-32C trailer is tolerated, not verified: loopback TCP does not corrupt bytes.
  const end = flags & FLAG_CHECKSUM_PRESENT ? msg.length - 4 : msg.length;
  let offset = HEADER_SIZE + 4;
  let body: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  while (offset < end) {
    const kind = msg.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      const { doc, end: next } = readDocument(msg, offset);
      body = doc;
      offset = next;
    } else if (kind === 1) {
      const sectionEnd = offset + msg.readInt32LE(offset);
      const id = readCString(msg, offset + 4);
      const docs: Document[] = [];
      for (let p = id.end; p < sectionEnd;) {
        const { doc, end: next } = readDocument(msg, p);
        docs.push(doc);
        p = next;
      }
      sequences.push([id.value, docs]);
      offset = sectionEnd;
    } else {
      throw new ProtocolError(`unsupported OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG without a body section');
  // Drivers move e.g. insert's `documents` into a kind-1 sequence; servers treat it as a field.
  for (const [id, docs] of sequences) body[id] = docs;
  return { requestId, opCode: OP_MSG, flags, command: body, db: typeof body.$db === 'string' ? body.$db : 'admin' };
}

function decodeOpQuery(msg: Buffer, requestId: number): WireRequest {
  // OP_QUERY survives only as the first handshake message: flags, "db.$cmd", skip, limit, query.
  const ns = readCString(msg, HEADER_SIZE + 4);
  const { doc } = readDocument(msg, ns.end + 8);
  const command = doc.$query && typeof doc.$query === 'object' ? (doc.$query as Document) : doc;
  return { requestId, opCode: OP_QUERY, flags: 0, command, db: ns.value.split('.')[0] ?? 'admin' };
}

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.alloc(HEADER_SIZE);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

export function encodeOpMsg(requestId: number, responseTo: number, doc: Document, flags = 0): Buffer {
  const body = serialize(doc);
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32LE(flags, 0);
  prefix.writeUInt8(0, 4); // a single kind-0 section
  const length = HEADER_SIZE + prefix.length + body.length;
  return Buffer.concat([header(length, requestId, responseTo, OP_MSG), prefix, body]);
}

/** OP_REPLY answers an OP_QUERY handshake, as a real server does. */
export function encodeOpReply(requestId: number, responseTo: number, doc: Document): Buffer {
  const body = serialize(doc);
  const fields = Buffer.alloc(20); // responseFlags, cursorID (int64), startingFrom, numberReturned
  fields.writeInt32LE(1, 16);
  const length = HEADER_SIZE + fields.length + body.length;
  return Buffer.concat([header(length, requestId, responseTo, OP_REPLY), fields, body]);
}
