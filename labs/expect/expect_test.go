package expect

import (
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

const story = `name: story
about: The service answers 500 from 3s to 15s.
nodes:
  service:  {fixture: app, role: primary}
  failover: {fixture: errorpage, role: standby}
load: {rate: 50/s}
timeline:
  - {at: 3s,  name: broken, fault: {node: service, http: {status: 500}}}
  - {at: 15s, name: fixed,  clear: broken}
  - {at: 20s, end: true}
expect:
`

var t0 = time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)

// marks are the runtime's marks of the story, each a few ms after its time.
var marks = []ledger.Mark{
	At(3*time.Second+2*time.Millisecond, "broken", ledger.MarkApply),
	At(15*time.Second+3*time.Millisecond, "broken", ledger.MarkClear),
	At(20*time.Second, "end", ledger.MarkEvent),
}

// healthy answers like a proxy that fails over at once and fails back
// after failback.
func healthy(failback time.Duration) func(time.Duration) ledger.Row {
	return func(at time.Duration) ledger.Row {
		if at >= 3*time.Second && at < 15*time.Second+failback {
			return ledger.Row{Status: 503, ServedBy: "failover", Latency: 2 * time.Millisecond}
		}
		return ledger.Row{Status: 200, ServedBy: "service", Latency: time.Millisecond}
	}
}

func parse(t *testing.T, expect string) *scenario.Scenario {
	t.Helper()
	s, err := scenario.Parse("", strings.NewReader(story+expect))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestEvaluate(t *testing.T) {
	withErrors := func(at time.Duration) ledger.Row {
		switch {
		case at == 3*time.Second+20*time.Millisecond:
			return ledger.Row{Status: 500, ServedBy: "service"}
		case at == 3*time.Second+40*time.Millisecond:
			return ledger.Row{Err: ledger.ErrReset}
		case at == 3*time.Second+60*time.Millisecond:
			return ledger.Row{Status: 502, ServedBy: "proxy"}
		}
		return healthy(800 * time.Millisecond)(at)
	}
	slow := func(at time.Duration) ledger.Row {
		r := healthy(0)(at)
		if at >= 3*time.Second && at < 4*time.Second {
			r.Latency = time.Second
		}
		return r
	}
	flappy := func(at time.Duration) ledger.Row {
		if at >= 3*time.Second && at < 15*time.Second && (at/time.Second)%2 == 1 {
			return ledger.Row{Status: 503, ServedBy: "failover"}
		}
		return ledger.Row{Status: 200, ServedBy: "service"}
	}
	// rescued: the standby answers in 1-1.3 s until it is cut at 8 s; what
	// it still held is re-sent to the service at once, so in send order
	// the two tiers interleave for 300 ms (runs of one), but the traffic
	// moved once.
	rescued := func(at time.Duration) ledger.Row {
		const cut = 8 * time.Second
		switch {
		case at < 3*time.Second || at >= cut:
			return ledger.Row{Status: 200, ServedBy: "service", Latency: time.Millisecond}
		case at+time.Second+300*time.Millisecond*(at/(20*time.Millisecond)%2) < cut:
			return ledger.Row{Status: 200, ServedBy: "failover", Latency: time.Second + 300*time.Millisecond*(at/(20*time.Millisecond)%2)}
		}
		return ledger.Row{Status: 200, ServedBy: "service", Latency: cut + time.Millisecond - at}
	}
	tests := []struct {
		name     string
		expect   string
		answer   func(time.Duration) ledger.Row
		pass     bool
		measured string // substring
		figure   time.Duration
	}{
		{"no client errors", "  - client_errors: 0\n", healthy(800 * time.Millisecond), true, "0 client errors", -1},
		{"error page answers are not client errors", "  - {error_page: {min: 500}}\n", healthy(800 * time.Millisecond), true, "640 error-page answers", -1},
		{"client errors counted", "  - client_errors: 1\n", withErrors, false,
			"3 client errors (1× 500 from service, 1× 502 from proxy, 1× reset); want at most 1", -1},
		{"client errors in a window", "  - {after: fixed, client_errors: 0}\n", withErrors, true, "0 client errors", -1},
		{"failover time", "  - {after: broken, within: 100ms, served_by: failover}\n", healthy(800 * time.Millisecond), true,
			"all 594 answers from failover; settled 18ms after broken (allowed 100ms)", 18 * time.Millisecond},
		{"failback in time", "  - {after: fixed, within: 1500ms, served_by: service}\n", healthy(800 * time.Millisecond), true,
			"settled 797ms after fixed", 797 * time.Millisecond},
		{"failback late", "  - {after: fixed, within: 1500ms, served_by: primary}\n", healthy(1800 * time.Millisecond), false,
			"160 of 174 answers from primary (92.0%, want 100%); the others: 14× 503 from failover; settled 1.797s after fixed (allowed 1.5s)", 1797 * time.Millisecond},
		{"fraction", "  - {after: fixed, within: 1500ms, served_by: service, fraction: 0.9}\n", healthy(1800 * time.Millisecond), true, "160 of 174", -1},
		{"status and node", "  - {after: broken, within: 100ms, served_by: failover, status: 503}\n", healthy(800 * time.Millisecond), true, "with status 503 from failover", -1},
		{"never settled", "  - {after: broken, served_by: service}\n", healthy(800 * time.Millisecond), false, "never settled", -1},
		{"flaps within bound", "  - {flaps: 2}\n", healthy(800 * time.Millisecond), true, "2 flaps (→standby at +3.000s, →primary at +15.800s)", -1},
		{"flapping", "  - {flaps: {max: 2}}\n", flappy, false, "12 flaps", -1},
		{"rescued answers are one switch", "  - {flaps: 2}\n", rescued, true, "2 flaps (→standby at +3.000s, →primary at +6.980s)", -1},
		{"latency", "  - {latency: {p50: 5ms, p99: 50ms}}\n", healthy(0), true, "p50 2ms, p99 2ms over 1000 requests", -1},
		{"latency in window", "  - {after: broken, latency: {p99: 500ms}}\n", slow, false, "p99 1s (limit 500ms)", -1},
		{"requests", "  - {after: broken, for: 1s, requests: {min: 49, max: 51}}\n", healthy(0), true, "50 requests", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := parse(t, tt.expect)
			rs := Evaluate(s, Synthetic(t0, 50, 20*time.Second, marks, tt.answer))
			r := rs[0]
			if r.Pass != tt.pass || !strings.Contains(r.Measured, tt.measured) {
				t.Errorf("got pass=%v %q\nwant pass=%v and %q", r.Pass, r.Measured, tt.pass, tt.measured)
			}
			if tt.figure >= 0 && (!r.HasFigure || r.Figure != tt.figure) {
				t.Errorf("figure: got %v (%v), want %v", r.Figure, r.HasFigure, tt.figure)
			}
			if !r.Pass && r.Focus.IsZero() && !strings.Contains(r.Measured, "never") {
				t.Error("a failure should point at the first offending request")
			}
		})
	}
}

func TestWindows(t *testing.T) {
	tests := []struct {
		expect   string
		from, to time.Duration
		label    string
	}{
		{"  - client_errors: 0\n", 0, 20 * time.Second, "whole run"},
		// opens at the mark (in effect), closes when the next event was due
		{"  - {after: broken, client_errors: 0}\n", 3002 * time.Millisecond, 15 * time.Second, "broken .. fixed"},
		{"  - {after: broken, within: 1s, until: end, client_errors: 0}\n", 4002 * time.Millisecond, 20 * time.Second, "broken+1s .. end"},
		{"  - {after: fixed, client_errors: 0}\n", 15003 * time.Millisecond, 20 * time.Second, "fixed .. end"},
		{"  - {after: start, for: 2s, client_errors: 0}\n", 0, 2 * time.Second, "start for 2s"},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			s := parse(t, tt.expect)
			l := Synthetic(t0, 50, 20*time.Second, marks, healthy(0))
			w, err := WindowOf(s, s.Expect[0], TimesOf(s, l), l.Rows())
			if err != nil {
				t.Fatal(err)
			}
			if got := [2]time.Duration{w.From.Sub(t0), w.To.Sub(t0)}; got != [2]time.Duration{tt.from, tt.to} || w.Label != tt.label {
				t.Errorf("got %v %q, want [%v %v] %q", got, w.Label, tt.from, tt.to, tt.label)
			}
		})
	}
}

func TestEventThatNeverHappenedFails(t *testing.T) {
	s := parse(t, "  - {after: fixed, served_by: service}\n")
	rs := Evaluate(s, Synthetic(t0, 50, 20*time.Second, marks[:1], healthy(0)))
	if rs[0].Pass || rs[0].Measured != `event "fixed" never happened` {
		t.Errorf("got %+v", rs[0])
	}
}

func TestProbe(t *testing.T) {
	const probeStory = `name: probed
about: Nothing usable from 3s; a probe at 5s looks at the answer's headers.
nodes:
  service:  {fixture: app}
load: {rate: 50/s}
timeline:
  - {at: 3s, name: dead, fault: {node: service, container: {action: kill}}}
  - {at: 5s, name: asked, probe: /}
  - {at: 8s, end: true}
expect:
`
	tests := []struct {
		name, expect, detail string
		pass                 bool
		measured             string
	}{
		{"all met", "  - {probe: asked, served_by: proxy, status: 503, header: retry-after}\n",
			`{"status":503,"served_by":"proxy","header":{"Retry-After":"1"}}`, true, "probe answered 503 from proxy, Retry-After: 1"},
		{"header missing", "  - {probe: asked, status: 503, header: Retry-After}\n",
			`{"status":503,"served_by":"proxy","header":{}}`, false, "probe answered 503 from proxy, no Retry-After; want header Retry-After"},
		{"wrong status and role", "  - {probe: asked, served_by: primary, status: 200}\n",
			`{"status":503,"served_by":"proxy"}`, false, "probe answered 503 from proxy; want status 200, want it from primary"},
		{"no answer", "  - {probe: asked, status: 503}\n",
			`{"error":"context deadline exceeded"}`, false, "probe got no answer: context deadline exceeded; no answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := scenario.Parse("", strings.NewReader(probeStory+tt.expect))
			if err != nil {
				t.Fatal(err)
			}
			m := At(5*time.Second, "asked", ledger.MarkEvent)
			m.Detail = tt.detail
			l := Synthetic(t0, 50, 8*time.Second, []ledger.Mark{m}, healthy(0))
			r := Evaluate(s, l)[0]
			if r.Pass != tt.pass || r.Measured != tt.measured {
				t.Errorf("got pass=%v %q\nwant pass=%v %q", r.Pass, r.Measured, tt.pass, tt.measured)
			}
		})
	}
}

// A window that held no request is not judged: it fails, with its own
// verdict, whatever the proxy did; a window with requests is judged.
func TestNotJudged(t *testing.T) {
	s := parse(t, "  - {after: broken, for: 10s, served_by: failover}\n  - {after: broken, for: 10s, latency: {max: 1s}}\n")
	gap := func(at time.Duration) ledger.Row { return healthy(0)(at) }
	l := Synthetic(t0, 50, 3*time.Second, marks, gap) // the load stopped before the fault
	for _, r := range Evaluate(s, l) {
		if r.Pass || !r.NotJudged || !strings.HasPrefix(r.Measured, NotJudgedMeasure) {
			t.Errorf("%s: got pass %t, not judged %t, %q; want a failing not-judged result", r.Name(), r.Pass, r.NotJudged, r.Measured)
		}
	}
	for _, r := range Evaluate(s, Synthetic(t0, 50, 20*time.Second, marks, gap)) {
		if r.NotJudged {
			t.Errorf("%s: not judged with requests in its window", r.Name())
		}
	}
}

// TestEveryMeasureJudged: each row of scenario.Measures has its judge.
func TestEveryMeasureJudged(t *testing.T) {
	for _, m := range scenario.Measures {
		if judges[m.Measure] == nil {
			t.Errorf("measure %s has no judge", m.Measure)
		}
	}
	if len(judges) != len(scenario.Measures) {
		t.Errorf("%d judges for %d measures", len(judges), len(scenario.Measures))
	}
}

// TestFlapsStampedBeforeAFailback is primary-answers-500's failure: a
// request the load generator stamped at +10.38 s reached the proxy only
// after its failback at +10.7 s (a loaded machine; Row.Sent is stamped
// before the write), so in send order one service answer sits among the
// standby's. The proxy switched twice, not four times.
func TestFlapsStampedBeforeAFailback(t *testing.T) {
	answer := func(at time.Duration) ledger.Row {
		switch {
		case at == 10380*time.Millisecond:
			return ledger.Row{Status: 200, ServedBy: "service", Latency: 340 * time.Millisecond}
		case at >= 3*time.Second && at < 10700*time.Millisecond:
			return ledger.Row{Status: 200, ServedBy: "failover", Latency: 2 * time.Millisecond}
		}
		return ledger.Row{Status: 200, ServedBy: "service", Latency: time.Millisecond}
	}
	rs := Evaluate(parse(t, "  - {flaps: 2}\n"), Synthetic(t0, 50, 20*time.Second, marks, answer))
	want := "2 flaps (→standby at +3.000s, →primary at +10.700s)"
	if r := rs[0]; !r.Pass || !strings.Contains(r.Measured, want) {
		t.Errorf("got pass=%v %q, want %q", r.Pass, r.Measured, want)
	}
}
