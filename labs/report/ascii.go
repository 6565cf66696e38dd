package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/labs/expect"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

// Step is the width of one line of the ASCII timeline.
const Step = 100 * time.Millisecond

// maxLines caps an ASCII timeline; longer windows show the part around
// the moment that matters.
const maxLines = 36

// bucket is what happened in one Step.
type bucket struct {
	by      map[string]int // answers per served_by
	classes [4]int         // 2xx 3xx 4xx 5xx
	slowest time.Duration
	marks   []string
}

// ASCII draws [from, to) of the run, one line per Step:
//
//	   time  service failover proxy err │ 2xx 3xx 4xx 5xx │ slowest
//	+0.100s        .        .     5   . │   .   .   .   5 │    1.5s
//	+0.200s        5        .     .   . │   5   .   .   . │     1ms  ◀ fixed (clear broken)
//
// (as failure_test.go prints it): answers per answerer, err counting
// requests that got no answer, then the status classes of the answers.
// Notes add labels of their own at their times (the window's edges).
func ASCII(s *scenario.Scenario, l *ledger.Ledger, from, to time.Time, notes ...ledger.Mark) string {
	t := expect.TimesOf(s, l)
	cols := columns(s, l)
	from = align(t, from)
	n := int((to.Sub(from) + Step - 1) / Step)
	if n <= 0 {
		return ""
	}
	buckets := make([]bucket, n)
	for i := range buckets {
		buckets[i].by = map[string]int{}
	}
	for _, r := range l.Rows() {
		if r.Sent.Before(from) || !r.Sent.Before(to) {
			continue
		}
		b := &buckets[int(r.Sent.Sub(from)/Step)]
		b.slowest = max(b.slowest, r.Latency)
		if r.Err != "" || r.Status == 0 {
			b.by["err"]++
			continue
		}
		b.by[r.ServedBy]++
		if c := r.Status/100 - 2; c >= 0 && c < 4 {
			b.classes[c]++
		}
	}
	for _, m := range append(l.Marks(), notes...) {
		if !m.At.Before(from) && m.At.Before(to) && m.Name != scenario.Start {
			b := &buckets[int(m.At.Sub(from)/Step)]
			b.marks = append(b.marks, markLabel(s, m))
		}
	}
	var sb strings.Builder
	header := fmt.Sprintf("%9s ", "time")
	for _, c := range cols {
		header += fmt.Sprintf(" %*s", width(c), c)
	}
	sb.WriteString(header + " │ 2xx 3xx 4xx 5xx │ slowest\n")
	for i, b := range buckets {
		line := fmt.Sprintf("%9s ", t.Rel(from.Add(time.Duration(i)*Step)))
		for _, c := range cols {
			line += fmt.Sprintf(" %*s", width(c), dot(b.by[c]))
		}
		line += fmt.Sprintf(" │ %3s %3s %3s %3s │ %7s", dot(b.classes[0]), dot(b.classes[1]), dot(b.classes[2]), dot(b.classes[3]), slow(b.slowest))
		if len(b.marks) > 0 {
			line += "  ◀ " + strings.Join(b.marks, ", ")
		}
		sb.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	return sb.String()
}

// columns are the answerers: the nodes in file order, proxy, and err for
// requests that got no answer; plus any other name the ledger holds.
func columns(s *scenario.Scenario, l *ledger.Ledger) []string {
	var cols []string
	known := map[string]bool{}
	for _, n := range s.Nodes {
		cols = append(cols, n.Name)
		known[n.Name] = true
	}
	for _, r := range l.Rows() {
		if r.Err == "" && r.Status != 0 && !known[r.ServedBy] && r.ServedBy != ledger.ServedByProxy {
			cols = append(cols, r.ServedBy)
			known[r.ServedBy] = true
		}
	}
	return append(cols, ledger.ServedByProxy, "err")
}

// markLabel is "broken (service: http status 500)" or "fixed".
func markLabel(s *scenario.Scenario, m ledger.Mark) string {
	for _, e := range s.Timeline {
		switch {
		case e.Kind() == scenario.EventFault && m.Kind == ledger.MarkApply && e.Name == m.Name:
			return e.Name + " (" + e.Fault.Describe() + ")"
		case e.Kind() == scenario.EventClear && m.Kind == ledger.MarkClear && e.Clear == m.Name:
			return e.Name + " (clear " + e.Clear + ")"
		}
	}
	if m.Kind == ledger.MarkEvent || m.Kind == "" {
		return m.Name
	}
	return m.Name + " " + m.Kind
}

func width(c string) int { return max(len(c), 3) }

func dot(n int) string {
	if n == 0 {
		return "."
	}
	return fmt.Sprint(n)
}

func slow(d time.Duration) string {
	if d == 0 {
		return ""
	}
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(10 * time.Millisecond).String()
}

// align moves t back to a whole Step from the run's start, so lines read
// +3.000s, +3.100s, ...
func align(ts expect.Times, t time.Time) time.Time {
	return ts.Start.Add(t.Sub(ts.Start).Truncate(Step))
}
