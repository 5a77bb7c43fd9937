// Socket Mode for the emulated Slack: apps.connections.open and the WebSocket behind it.
export { CONNECTIONS_OPEN, connectionsOpen } from './connections-open';
export { ACK_TIMEOUT_MS, SOCKET_MODE_PATH_PREFIX, SocketModeServer } from './server';
export { MAX_RETRIES } from './envelopes';
export type * from './types';
