// The emulated issue trackers (Jira Cloud REST v3, Jira Data Center REST v2, GitHub Issues REST)
// the tests and the demo file tickets in. See tracker-emulator/jira.ts and tracker-emulator/github.ts.
export { JiraEmulator } from './tracker-emulator/jira';
export { GitHubEmulator } from './tracker-emulator/github';
export { adfProblem } from './tracker-emulator/adf';
export { readWikiMarkup, type WikiReading } from './tracker-emulator/wiki-markup';
export type * from './tracker-emulator/types';
