/** One part of a multipart/form-data body. */
export interface MultipartPart {
  name?: string;
  filename?: string;
  data: Buffer;
}

function boundaryOf(contentType: string): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

function parsePart(chunk: Buffer): MultipartPart | undefined {
  const headerEnd = chunk.indexOf('\r\n\r\n');
  if (headerEnd < 0) return undefined;
  const headers = chunk.subarray(0, headerEnd).toString('utf8');
  const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
  const data = chunk.subarray(headerEnd + 4);
  const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
  const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
  return {
    data: data.subarray(-2).toString('latin1') === '\r\n' ? data.subarray(0, -2) : data,
    ...(name !== undefined ? { name } : {}),
    ...(filename !== undefined ? { filename } : {}),
  };
}

/**
 * Splits a multipart/form-data body (RFC 7578) into its parts. Enough for what fetch's FormData
 * sends (the upload v2 client posts the file as one part); not a general-purpose parser.
 */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) return [];
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const part = parsePart(body.subarray(start + delimiter.length + 2, next));
    if (part) parts.push(part);
    start = next;
  }
  return parts;
}
