// The emulated Slack the tests and the demo run against. See slack-emulator/emulator.ts.
export { SlackEmulator, type SlackEmulatorOptions } from './slack-emulator/emulator';
export type { ResponseTarget } from './slack-emulator/interactions';
export type { Workspace, WorkspaceIdentity } from './slack-emulator/workspace';
export type * from './slack-emulator/types';
export { ERRORS_MISSING_FROM_SPEC, METHODS_NEWER_THAN_SPEC, REQUEST_ERRORS, webApiErrorTable } from './slack-emulator/web-api/index';
