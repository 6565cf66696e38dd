package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

// barWidth is the bar of a node that answered a full second's worth of requests.
const barWidth = 20

// view buckets ledger rows by the second their answer arrived (relative to
// the ledger's start) and renders one line per second:
//
//	00:12  service ████████████████████ 20×200 | failover 0 | proxy 0 | errors 0
//
// Bucketing by arrival, not by schedule, is what a live view can show
// honestly: a second's line is final one second later, whatever timeouts
// are pending (they land, as errors, in the second they expire).
type view struct {
	start   time.Time
	rate    int
	columns []string // node columns in order; nodes seen later are appended
	secs    map[int]*second
}

// second is what arrived during one second.
type second struct {
	answers map[string]map[int]int // node → status → count
	errs    map[string]int         // error kind → count
}

func newView(start time.Time, rate int, columns []string) *view {
	return &view{start: start, rate: rate, columns: slices.Clone(columns), secs: map[int]*second{}}
}

// arrival is the second, from the start, in which r's answer (or error) came.
func (v *view) arrival(r ledger.Row) int {
	return int(r.Scheduled.Add(r.Latency).Sub(v.start) / time.Second)
}

// add counts r in second sec.
func (v *view) add(sec int, r ledger.Row) {
	s := v.secs[sec]
	if s == nil {
		s = &second{answers: map[string]map[int]int{}, errs: map[string]int{}}
		v.secs[sec] = s
	}
	if r.Err != "" {
		s.errs[r.Err]++
		return
	}
	if !slices.Contains(v.columns, r.ServedBy) {
		v.columns = append(v.columns, r.ServedBy)
	}
	if s.answers[r.ServedBy] == nil {
		s.answers[r.ServedBy] = map[int]int{}
	}
	s.answers[r.ServedBy][r.Status]++
}

// line renders second sec; color adds ANSI colors to the bars.
func (v *view) line(sec int, color bool) string {
	s := v.secs[sec]
	if s == nil {
		s = &second{}
	}
	parts := make([]string, 0, len(v.columns)+1)
	for _, node := range v.columns {
		counts := s.answers[node]
		parts = append(parts, v.cell(node, total(counts), tally(counts, strconv.Itoa), paint(color, statusColor(counts))))
	}
	parts = append(parts, v.cell("errors", total(s.errs), tally(s.errs, func(k string) string { return k }), paint(color, red)))
	return clock(sec) + "  " + strings.Join(parts, " | ")
}

// cell is "name 0" or "name ███ 3×200 1×500".
func (v *view) cell(name string, n int, counts string, paint func(string) string) string {
	if n == 0 {
		return name + " 0"
	}
	return name + " " + paint(v.bar(n)) + " " + counts
}

// bar is one block per request at the watched rate, scaled so a full
// second is barWidth blocks; never empty for a non-zero count.
func (v *view) bar(n int) string {
	blocks := max(1, int(math.Round(float64(n)*barWidth/float64(max(v.rate, 1)))))
	return strings.Repeat("█", min(blocks, 3*barWidth))
}

// tally renders counts as "20×200" items, most frequent first.
func tally[K comparable](counts map[K]int, name func(K) string) string {
	var out []string
	for _, c := range ledger.Counts(counts, name) {
		out = append(out, fmt.Sprintf("%d×%s", c.N, c.Name))
	}
	return strings.Join(out, " ")
}

func total[K comparable](counts map[K]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// clock renders a second offset as mm:ss (h:mm:ss past an hour).
func clock(sec int) string {
	if sec >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", sec/3600, sec/60%60, sec%60)
	}
	return fmt.Sprintf("%02d:%02d", sec/60, sec%60)
}

// ANSI colors for a terminal; never written when stdout is not one.
const (
	green  = "\x1b[32m"
	yellow = "\x1b[33m"
	red    = "\x1b[31m"
	reset  = "\x1b[0m"
)

// statusColor is the color of the most frequent status class of counts.
func statusColor(counts map[int]int) string {
	var ok, bad int
	for status, n := range counts {
		if status < 400 {
			ok += n
		} else {
			bad += n
		}
	}
	switch {
	case bad == 0:
		return green
	case ok == 0:
		return red
	default:
		return yellow
	}
}

func paint(on bool, color string) func(string) string {
	return func(s string) string {
		if !on {
			return s
		}
		return color + s + reset
	}
}
