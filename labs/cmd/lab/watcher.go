package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

// grace is how long after a second ends its line waits for rows still
// being recorded (an answer is recorded microseconds after it arrives).
const grace = 50 * time.Millisecond

// watcher moves rows from the ledger into the view and prints each second
// once it is over. On a terminal it also redraws the running second in
// place; otherwise it writes finished lines only.
type watcher struct {
	out   io.Writer
	tty   bool
	color bool
	l     *ledger.Ledger
	v     *view

	cursor int // rows of the ledger already in the view
	shown  int // seconds already printed
	last   int // latest second any row arrived in; -1 before the first
	live   bool
}

func newWatcher(out io.Writer, tty, color bool, l *ledger.Ledger, v *view) *watcher {
	return &watcher{out: out, tty: tty, color: color, l: l, v: v, last: -1}
}

// pull adds the rows recorded since the last call. A row arriving in a
// second already printed (rare: recorded later than grace) counts in the
// first second not yet printed.
func (w *watcher) pull() {
	rows, next := w.l.RowsFrom(w.cursor)
	w.cursor = next
	for _, r := range rows {
		sec := max(w.v.arrival(r), w.shown)
		w.v.add(sec, r)
		w.last = max(w.last, sec)
	}
}

// tick prints every second that ended before now (minus grace) and, on a
// terminal, redraws the running one.
func (w *watcher) tick(now time.Time) {
	w.pull()
	done := int(now.Add(-grace).Sub(w.v.start) / time.Second)
	for ; w.shown < done; w.shown++ {
		w.printLine(w.v.line(w.shown, w.color))
	}
	if w.tty {
		fmt.Fprint(w.out, "\r\x1b[K"+w.v.line(w.shown, w.color)+" …")
		w.live = true
	}
}

// flush prints every second up to the last arrival, then a summary.
func (w *watcher) flush() {
	w.pull()
	for ; w.shown <= w.last; w.shown++ {
		w.printLine(w.v.line(w.shown, w.color))
	}
	if w.live {
		fmt.Fprint(w.out, "\r\x1b[K")
		w.live = false
	}
	fmt.Fprintln(w.out, summary(w.l.Rows()))
}

func (w *watcher) printLine(s string) {
	if w.live {
		s = "\r\x1b[K" + s
		w.live = false
	}
	fmt.Fprintln(w.out, s)
}

// summary is the closing line: every answer and error of the run.
func summary(rows []ledger.Row) string {
	answers := map[string]map[int]int{}
	var order []string
	errs := map[string]int{}
	for _, r := range rows {
		if r.Err != "" {
			errs[r.Err]++
			continue
		}
		if answers[r.ServedBy] == nil {
			answers[r.ServedBy] = map[int]int{}
			order = append(order, r.ServedBy)
		}
		answers[r.ServedBy][r.Status]++
	}
	parts := make([]string, 0, len(order)+1)
	for _, node := range order {
		parts = append(parts, node+" "+tally(answers[node], itoa))
	}
	if len(errs) == 0 {
		parts = append(parts, "errors 0")
	} else {
		parts = append(parts, "errors "+tally(errs, func(k string) string { return k }))
	}
	return fmt.Sprintf("total %d requests: %s", len(rows), strings.Join(parts, " | "))
}

func itoa(i int) string { return fmt.Sprint(i) }
