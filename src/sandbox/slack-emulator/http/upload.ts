import type { HttpReply } from '../dispatch';
import type { Workspace } from '../workspace';
import { mediaType, header, type IncomingRequest } from './body';
import { parseMultipart } from './multipart';

/** The file bytes: the file part of a multipart body (what WebClient sends), else the raw body. */
function uploadedBytes(request: IncomingRequest): Buffer {
  if (mediaType(request) !== 'multipart/form-data') return request.body;
  const parts = parseMultipart(request.body, header(request, 'content-type') ?? '');
  return (parts.find((p) => p.filename !== undefined) ?? parts[0])?.data ?? Buffer.alloc(0);
}

/** The upload URL handed out by files.getUploadURLExternal; Slack answers `OK - <bytes>`. */
export function receiveUpload(ws: Workspace, fileId: string, request: IncomingRequest): HttpReply {
  const bytes = uploadedBytes(request);
  if (!ws.files.receive(fileId, bytes)) return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' };
  return { status: 200, headers: { 'content-type': 'text/plain' }, body: `OK - ${bytes.length}` };
}
