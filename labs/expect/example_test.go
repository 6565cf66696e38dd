package expect_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/labs/expect"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

// A synthetic run: the service breaks at 2s, the error page answers from
// then on, and the service is back 400 ms after the fix at 6s.
func ExampleEvaluate() {
	s, _ := scenario.Parse("", strings.NewReader(`name: example
about: The service answers 500 from 2s to 6s.
nodes:
  service:  {fixture: app}
  failover: {fixture: errorpage, role: standby}
load: {rate: 50/s}
timeline:
  - {at: 2s, name: broken, fault: {node: service, http: {status: 500}}}
  - {at: 6s, name: fixed,  clear: broken}
  - {at: 8s, end: true}
expect:
  - client_errors: 0
  - {name: failback time, after: fixed, within: 1500ms, served_by: service}
`))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	marks := []ledger.Mark{
		expect.At(2*time.Second, "broken", ledger.MarkApply),
		expect.At(6*time.Second, "broken", ledger.MarkClear),
		expect.At(8*time.Second, "end", ledger.MarkEvent),
	}
	l := expect.Synthetic(start, 50, 8*time.Second, marks, func(at time.Duration) ledger.Row {
		if at >= 2*time.Second && at < 6400*time.Millisecond {
			return ledger.Row{Status: 200, ServedBy: "failover", Latency: 2 * time.Millisecond}
		}
		return ledger.Row{Status: 200, ServedBy: "service", Latency: time.Millisecond}
	})
	for _, r := range expect.Evaluate(s, l) {
		fmt.Printf("%v %s: %s\n", r.Pass, r.Name(), r.Measured)
	}
	// Output:
	// true {client_errors: 0}: 0 client errors
	// true failback time: all 25 answers from service; settled 400ms after fixed (allowed 1.5s)
}
