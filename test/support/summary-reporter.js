// Prints jest's real counts as the last line of a run, in the form CI reads: "N passed, N failed".
class SummaryReporter {
  onRunComplete(_contexts, results) {
    process.stdout.write(`${results.numPassedTests} passed, ${results.numFailedTests} failed\n`);
  }
}
module.exports = SummaryReporter;
