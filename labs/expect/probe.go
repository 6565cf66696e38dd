package expect

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/scenario"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// probe checks the answer a probe event recorded in its mark.
func probe(res *Result, s *scenario.Scenario, l *ledger.Ledger) {
	e := res.Expectation
	m, ok := l.FindMark(e.Probe, ledger.MarkEvent)
	if !ok {
		res.Measured = fmt.Sprintf("probe %q never happened", e.Probe)
		return
	}
	res.Window = Window{Event: m.At, From: m.At, To: m.At.Add(probeWindow), Label: "probe " + e.Probe}
	a, err := ledger.ParseProbe(m)
	if err != nil {
		res.Measured = fmt.Sprintf("probe %q: unreadable answer: %v", e.Probe, err)
		return
	}
	got := describeProbe(a, e.Header)
	var misses []string
	switch {
	case a.Err != "":
		misses = append(misses, "no answer")
	default:
		if e.Status != 0 && a.Status != e.Status {
			misses = append(misses, fmt.Sprintf("want status %d", e.Status))
		}
		if e.ServedBy != "" && !servedByMatches(s, e.ServedBy, a.ServedBy) {
			misses = append(misses, "want it from "+e.ServedBy)
		}
		if e.Header != "" && a.Header[http.CanonicalHeaderKey(e.Header)] == "" {
			misses = append(misses, "want header "+e.Header)
		}
		if e.Cause != "" && !strings.Contains(a.Cause, e.Cause) {
			misses = append(misses, fmt.Sprintf("want a cause containing %q", e.Cause))
		}
	}
	res.Pass = len(misses) == 0
	res.Measured = got
	if !res.Pass {
		res.Measured += "; " + strings.Join(misses, ", ")
		res.Focus = m.At
	}
}

// probeWindow is how long a probe's window is drawn (one request).
const probeWindow = 100 * time.Millisecond

func describeProbe(a ledger.ProbeAnswer, header string) string {
	if a.Err != "" {
		return "probe got no answer: " + a.Err
	}
	if a.State != "" {
		return fmt.Sprintf("member %s, cause %q", a.State, a.Cause)
	}
	s := fmt.Sprintf("probe answered %d from %s", a.Status, a.ServedBy)
	if header != "" {
		if v, ok := a.Header[http.CanonicalHeaderKey(header)]; ok {
			s += fmt.Sprintf(", %s: %s", http.CanonicalHeaderKey(header), v)
		} else {
			s += ", no " + http.CanonicalHeaderKey(header)
		}
	}
	return s
}

func servedByMatches(s *scenario.Scenario, want, got string) bool {
	if slices.Contains(vocab.Roles, vocab.Role(want)) {
		n, ok := s.Node(got)
		return ok && n.Role == vocab.Role(want)
	}
	return want == got
}
