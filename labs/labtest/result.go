package labtest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/labs/expect"
	"github.com/failover-lab/failover-lab/labs/report"
)

// Result is one finished run, for a test's own assertions. The embedded
// report.Run holds the scenario, the ledger (one row per request), the
// verdict on each expectation (Results, in file order), the driver's name
// and Err, set when the run itself failed (then there are no Results).
//
//	require.NoError(t, res.Err)
//	assert.True(t, res.Pass())
//	failover := res.Expectation("failover time")
//	assert.Less(t, failover.Figure, 2*time.Second, failover.Measured)
//	assert.Zero(t, res.ClientErrors())
type Result struct {
	report.Run
	// Requests is the ledger in a few figures: totals by status and by
	// the node that answered, transport and client errors, latency
	// quantiles (the "requests" of results.json).
	Requests report.RequestSummary
	// Report is the path of the run's index.html ("" when it could not
	// be written).
	Report string

	t testing.TB
}

// Expectation returns the verdict on the expectation called name: its
// name: in the file, else its text as results.json writes it, or its
// subtest name expect[i]. Pass says whether it held, Measured what the
// run did in words and figures, and for a served_by expectation Figure is
// the failover (or failback) time: how long after its event the answers
// settled on the target. An unknown name is an error of the test, naming
// the expectations there are, and returns a failing zero Result.
func (r *Result) Expectation(name string) expect.Result {
	r.t.Helper()
	var names []string
	for _, e := range r.Results {
		if e.Name() == name || subtestName(e) == name {
			return e
		}
		names = append(names, fmt.Sprintf("%q", subtestName(e)))
	}
	msg := fmt.Sprintf("no expectation named %q in %s; there are: %s", name, r.Scenario.File, strings.Join(names, ", "))
	if r.Err != nil {
		msg = fmt.Sprintf("no expectation named %q: the run failed: %v", name, r.Err)
	}
	r.t.Error(msg)
	return expect.Result{Index: -1, Measured: msg}
}

// ClientErrors counts the requests whose client saw a failure: no answer,
// or a 5xx not from a standby (the error page is the proxy keeping its
// promise).
func (r *Result) ClientErrors() int { return r.Requests.ClientErrors }

// ServedBy counts the answers each node gave ("proxy" for the proxy's
// own), over the whole run.
func (r *Result) ServedBy() map[string]int { return r.Requests.ByServedBy }
