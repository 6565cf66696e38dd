package expect

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/scenario"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// classifier knows the scenario's nodes and roles.
type classifier struct{ s *scenario.Scenario }

// What Role says of a row that no node answered.
const (
	ByProxy  vocab.Role = vocab.ServedByProxy // the proxy's own answer, or an unknown name
	NoAnswer vocab.Role = "error"             // the request got no answer
)

// Role is the role of whoever answered a row: a node's role, ByProxy or
// NoAnswer.
func Role(s *scenario.Scenario, r ledger.Row) vocab.Role {
	if r.Err != "" || r.Status == 0 {
		return NoAnswer
	}
	if n, ok := s.Node(r.ServedBy); ok {
		return n.Role
	}
	return ByProxy
}

// IsClientError says whether the client saw a failure: no answer at all,
// or a 5xx that did not come from a standby (the error page).
func IsClientError(s *scenario.Scenario, r ledger.Row) bool {
	role := Role(s, r)
	return role == NoAnswer || (r.Status >= 500 && role != vocab.RoleStandby)
}

// IsErrorPage says whether a standby node answered.
func IsErrorPage(s *scenario.Scenario, r ledger.Row) bool { return Role(s, r) == vocab.RoleStandby }

// Describe writes a row as "500 from service" or "reset".
func Describe(r ledger.Row) string {
	if r.Err != "" || r.Status == 0 {
		return r.Err
	}
	return fmt.Sprintf("%d from %s", r.Status, r.ServedBy)
}

// tally writes "2× 500 from service, 1× reset", commonest first, at most four.
func tally(rows []ledger.Row) string {
	counts := map[string]int{}
	for _, r := range rows {
		counts[Describe(r)]++
	}
	var parts []string
	for i, c := range ledger.Counts(counts, func(k string) string { return k }) {
		if i == 4 {
			parts = append(parts, "...")
			break
		}
		parts = append(parts, fmt.Sprintf("%d× %s", c.N, c.Name))
	}
	return strings.Join(parts, ", ")
}

func (c classifier) clientErrors(res *Result, in []ledger.Row) {
	var bad []ledger.Row
	for _, r := range in {
		if IsClientError(c.s, r) {
			bad = append(bad, r)
		}
	}
	c.count(res, bad, *res.Expectation.ClientErrors, "client errors")
}

func (c classifier) errorPage(res *Result, in []ledger.Row) {
	var hits []ledger.Row
	for _, r := range in {
		if IsErrorPage(c.s, r) {
			hits = append(hits, r)
		}
	}
	c.count(res, hits, *res.Expectation.ErrorPage, "error-page answers")
}

func (c classifier) count(res *Result, hits []ledger.Row, b scenario.Bound, what string) {
	res.Pass = b.Check(len(hits))
	res.Measured = fmt.Sprintf("%d %s", len(hits), what)
	if len(hits) > 0 {
		res.Measured += " (" + tally(hits) + ")"
		if b.Max != nil && len(hits) > *b.Max {
			res.Focus = hits[*b.Max].Sent
		}
	}
	res.Measured += want(res.Pass, b)
}

// matches says whether a row is what a served_by/status expectation wants.
func (c classifier) matches(e scenario.Expectation, r ledger.Row) bool {
	if r.Err != "" || r.Status == 0 {
		return false
	}
	if e.Status != 0 && r.Status != e.Status {
		return false
	}
	switch role := vocab.Role(e.ServedBy); {
	case e.ServedBy == "":
		return true
	case slices.Contains(vocab.Roles, role):
		return Role(c.s, r) == role
	}
	return r.ServedBy == e.ServedBy
}

// servedBy measures the share of matching requests from the window's
// opening, and the figure: when, after the event, the answers last
// switched to matching for good.
func (c classifier) servedBy(res *Result, all, in []ledger.Row, t Times) {
	e := res.Expectation
	target := prefix("from ", e.ServedBy)
	if e.Status != 0 {
		target = strings.TrimSpace(fmt.Sprintf("with status %d %s", e.Status, target))
	}
	if len(in) == 0 {
		notJudged(res)
		return
	}
	var others []ledger.Row
	for _, r := range in {
		if !c.matches(e, r) {
			others = append(others, r)
		}
	}
	share := float64(len(in)-len(others)) / float64(len(in))
	wantShare := e.Fraction
	if wantShare == 0 {
		wantShare = 1
	}
	res.Pass = share >= wantShare
	if len(others) == 0 {
		res.Measured = fmt.Sprintf("all %d answers %s", len(in), target)
	} else {
		res.Measured = fmt.Sprintf("%d of %d answers %s (%.1f%%, want %s); the others: %s",
			len(in)-len(others), len(in), target, 100*share, pct(wantShare), tally(others))
		if !res.Pass {
			res.Focus = others[0].Sent
		}
	}
	c.switchTime(res, all, t)
}

// switchTime sets the figure: from the event to the first request of the
// last unbroken run of matching answers that reaches the window's end.
func (c classifier) switchTime(res *Result, all []ledger.Row, t Times) {
	w := res.Window
	var settled time.Time
	for _, r := range all {
		if r.Sent.Before(w.Event) || !r.Sent.Before(w.To) {
			continue
		}
		switch {
		case !c.matches(res.Expectation, r):
			settled = time.Time{}
		case settled.IsZero():
			settled = r.Sent
		}
	}
	if settled.IsZero() {
		res.Measured += "; never settled"
		return
	}
	res.Figure, res.HasFigure = settled.Sub(w.Event), true
	ref := res.Expectation.After
	if ref == "" {
		ref = scenario.Start
	}
	res.Measured += fmt.Sprintf("; settled %s after %s", fmtMS(res.Figure), ref)
	if res.Expectation.Within > 0 {
		res.Measured += " (allowed " + fmtDur(res.Expectation.Within) + ")"
	}
}

// flapRun is how many answers in a row the other tier must give for a
// switch to count. Fewer are the overlap of a switch, not a move back: the
// answers a slow member still owes interleave with the new tier's, and
// requests rescued from a cut member answer out of their send order.
const flapRun = 3

// flaps counts switches of the answering tier between primary and standby
// (in send order, once the new tier has answered flapRun in a row).
func (c classifier) flaps(res *Result, in []ledger.Row, t Times) {
	var switches []string
	var tier, next vocab.Role // the tier counted; the one that may replace it
	var run int
	var since time.Time
	for _, r := range in {
		role := Role(c.s, r)
		switch {
		case !slices.Contains(vocab.Roles, role):
			continue
		case tier == "":
			tier = role
			continue
		case role == tier:
			run = 0
			continue
		case role != next || run == 0:
			next, run, since = role, 0, r.Sent
		}
		if run++; run < flapRun {
			continue
		}
		tier, run = role, 0
		switches = append(switches, fmt.Sprintf("→%s at %s", role, t.Rel(since)))
		if b := res.Expectation.Flaps; b.Max != nil && len(switches) == *b.Max+1 {
			res.Focus = since
		}
	}
	b := *res.Expectation.Flaps
	res.Pass = b.Check(len(switches))
	res.Measured = fmt.Sprintf("%d flaps", len(switches))
	if len(switches) > 0 {
		shown := switches
		if len(shown) > 6 {
			shown = append(append([]string{}, shown[:6]...), "...")
		}
		res.Measured += " (" + strings.Join(shown, ", ") + ")"
	}
	res.Measured += want(res.Pass, b)
}

// latency checks the quantiles of the window's latencies (nearest rank).
func latency(res *Result, in []ledger.Row) {
	if len(in) == 0 {
		notJudged(res)
		return
	}
	sorted := make([]ledger.Row, len(in))
	copy(sorted, in)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Latency < sorted[j].Latency })
	res.Pass = true
	var parts []string
	for _, q := range res.Expectation.Latency.Quantiles() {
		got := Quantile(sorted, q.Q)
		part := fmt.Sprintf("%s %s", q.Name, fmtMS(got))
		if got > q.Limit {
			res.Pass = false
			part += " (limit " + fmtDur(q.Limit) + ")"
		}
		parts = append(parts, part)
	}
	res.Measured = strings.Join(parts, ", ") + fmt.Sprintf(" over %d requests", len(in))
	if !res.Pass {
		slowest := in[0]
		for _, r := range in {
			if r.Latency > slowest.Latency {
				slowest = r
			}
		}
		res.Focus = slowest.Sent
	}
}

// Quantile is the nearest-rank q-quantile of rows sorted by latency.
func Quantile(sorted []ledger.Row, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	i = min(max(i, 0), len(sorted)-1)
	return sorted[i].Latency
}

// notJudged gives a window that held no request its own verdict: it still
// fails (the scenario's author widens the window), but says nothing of the
// proxy, and lab conform and lab explore do not count it against it.
func notJudged(res *Result) {
	res.NotJudged = true
	res.Measured = NotJudgedMeasure + " (" + res.Window.Label + ")"
}

// NotJudgedMeasure starts the Measured of a window that held no request.
const NotJudgedMeasure = "not judged: the window held no request"

func prefix(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}

func pct(f float64) string { return strings.TrimSuffix(fmt.Sprintf("%.1f", 100*f), ".0") + "%" }

// fmtMS writes durations to the millisecond: "640ms", "1.502s".
func fmtMS(d time.Duration) string { return d.Round(time.Millisecond).String() }
