// Prints jest's real counts as the very last line of a run, in the form CI reads:
// "N passed, N failed". Jest writes its own summary after reporters finish, so the line is
// written when the process exits.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed\n`;
    process.once('exit', () => process.stdout.write(line));
  }
}
module.exports = SummaryReporter;
