// The emulated Confluence (Cloud REST v2 or Data Center REST) the tests and the demo export
// postmortems to. See confluence-emulator/emulator.ts.
export { ConfluenceEmulator } from './confluence-emulator/emulator';
export { storageFormatError } from './confluence-emulator/storage-format';
export type * from './confluence-emulator/types';
