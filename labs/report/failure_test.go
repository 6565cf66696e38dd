package report

import (
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/expect"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

const story = `name: late-failback
about: The service answers 500 from 3s to 15s; the proxy takes 1.8s to fail back.
nodes:
  service:  {fixture: app, role: primary}
  failover: {fixture: errorpage, role: standby}
load: {rate: 50/s}
timeline:
  - {at: 3s,  name: broken, fault: {node: service, http: {status: 500}}}
  - {at: 15s, name: fixed,  clear: broken}
  - {at: 20s, end: true}
expect:
  - client_errors: 0
  - {after: fixed, within: 1500ms, served_by: service}
`

var t0 = time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)

// lateFailback is a synthetic run whose failback takes 1.8 s.
func lateFailback(t *testing.T) (*scenario.Scenario, *ledger.Ledger) {
	t.Helper()
	s, err := scenario.Parse("scenarios/late-failback.yaml", strings.NewReader(story))
	if err != nil {
		t.Fatal(err)
	}
	marks := []ledger.Mark{
		expect.At(3*time.Second+2*time.Millisecond, "broken", ledger.MarkApply),
		expect.At(15*time.Second+3*time.Millisecond, "broken", ledger.MarkClear),
		expect.At(20*time.Second, "end", ledger.MarkEvent),
	}
	l := expect.Synthetic(t0, 50, 20*time.Second, marks, func(at time.Duration) ledger.Row {
		if at >= 3*time.Second && at < 16800*time.Millisecond {
			return ledger.Row{Status: 503, ServedBy: "failover", Latency: 2 * time.Millisecond}
		}
		return ledger.Row{Status: 200, ServedBy: "service", Latency: time.Millisecond}
	})
	return s, l
}

// TestFailureMessage is the deliberately failing expectation: the message
// names it, its line, the measured value, and draws its window.
func TestFailureMessage(t *testing.T) {
	s, l := lateFailback(t)
	failed := expect.Failed(expect.Evaluate(s, l))
	if len(failed) != 1 {
		t.Fatalf("got %d failures, want 1: %+v", len(failed), failed)
	}
	msg := Failure(s, l, failed[0])
	t.Log("\n" + msg)
	for _, want := range []string{
		"scenarios/late-failback.yaml:13: expect[1] {after: fixed, within: 1.5s, served_by: service} failed\n",
		"  measured: 160 of 174 answers from service (92.0%, want 100%); the others: 14× 503 from failover; settled 1.797s after fixed (allowed 1.5s)\n",
		"  window:   fixed+1.5s .. end (+16.503s .. +20.000s)\n",
		"  showing +14.500s .. +18.103s, per 100ms:\n",
		"       time  service failover proxy err │ 2xx 3xx 4xx 5xx │ slowest\n",
		"   +15.000s        .        5     .   . │   .   .   .   5 │     2ms  ◀ fixed (clear broken)\n",
		"   +16.500s        .        5     .   . │   .   .   .   5 │     2ms  ◀ ┄ window opens, ✗ first miss\n",
		"   +16.800s        5        .     .   . │   5   .   .   . │     1ms\n",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q", want)
		}
	}
}

func TestASCIIShowsErrorsAndProxyAnswers(t *testing.T) {
	s, _ := lateFailback(t)
	l := expect.Synthetic(t0, 50, time.Second, nil, func(at time.Duration) ledger.Row {
		switch {
		case at < 100*time.Millisecond:
			return ledger.Row{Err: ledger.ErrRefused, Latency: time.Millisecond}
		case at < 200*time.Millisecond:
			return ledger.Row{Status: 502, ServedBy: "proxy", Latency: 1500 * time.Millisecond}
		}
		return ledger.Row{Status: 200, ServedBy: "service", Latency: time.Millisecond}
	})
	got := ASCII(s, l, t0, t0.Add(300*time.Millisecond))
	want := "" +
		"     time  service failover proxy err │ 2xx 3xx 4xx 5xx │ slowest\n" +
		"  +0.000s        .        .     .   5 │   .   .   .   . │     1ms\n" +
		"  +0.100s        .        .     5   . │   .   .   .   5 │    1.5s\n" +
		"  +0.200s        5        .     .   . │   5   .   .   . │     1ms\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
