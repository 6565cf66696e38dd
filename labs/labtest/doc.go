// Package labtest runs failover-lab scenarios from a Go test: yours, in your
// own module, or this repository's scenarios/.
//
//	func TestFailover(t *testing.T) {
//		res := labtest.Run(t, "failover/service-crash.yaml", labtest.Driver("process"))
//		require.NoError(t, res.Err)
//		assert.Less(t, res.Expectation("failover time").Figure, 2*time.Second)
//	}
//
// Run parses the file, starts its topology on the chosen driver, drives its
// load, plays its timeline and judges every expectation in a subtest named
// after it (or expect[i]), so go test -run, -json and gotestsum show one
// case per expectation; a failing one prints its line, the measured value
// and an ASCII timeline of its window. Each run writes its report to
// REPORTS/<scenario>/ (index.html, results.json, junit.xml, the ledger)
// and REPORTS/index.html lists the runs of the test binary so far; REPORTS
// is ./reports, relative to the test's package directory, unless
// ReportDir says otherwise.
//
//	labtest.Run ─▶ parse ─▶ skip? (-short, driver cannot) ─▶ images ─▶ Limiter ─▶ runner.Run ─▶ subtests ─▶ report
//
// Nothing here reads the process environment: settings are Options. A test
// that wants them from the environment says so (DriverFromEnv,
// EngineFromEnv).
//
// What Run started is stopped before it returns, pass or fail; a test
// binary that is killed leaves nothing behind either (the drivers' owner
// labels and sweeps, and their children's death signal).
package labtest
