// Package report shows a run: an ASCII timeline of a window for terminals
// and test failures (per 100 ms: who answered, the status mix, errors),
// and a self-contained HTML report (inline SVG, no script) with a lane per
// answering node, fault marks, latency, the expectations with their
// measured values, and the ledger for download.
package report
