// Package ledger records what every client of a lab run saw: one Row per
// request and one Mark per fault applied or cleared (or any other named
// event). Assertions and reports read it after the run; nothing here
// interprets the rows.
package ledger

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"sync"
	"time"
)

// Error kinds a Row can carry when no HTTP response arrived.
const (
	ErrRefused = "refused" // connection refused
	ErrReset   = "reset"   // connection reset or closed mid-exchange
	ErrTimeout = "timeout" // no answer within the client's timeout
	ErrOther   = "other"   // anything else (DNS, protocol error, ...)
)

// ServedByProxy is the ServedBy value of an answer the proxy generated itself,
// and of any answer that carries no X-Served-By header.
const ServedByProxy = "proxy"

// Row is one request as the client saw it.
type Row struct {
	Seq       int           `json:"seq"`
	Scheduled time.Time     `json:"scheduled"` // when the open-loop schedule wanted it sent
	Sent      time.Time     `json:"sent"`      // when it was actually sent
	Latency   time.Duration `json:"latency"`   // from Scheduled to the end of the response (no coordinated omission)
	Status    int           `json:"status"`    // 0 when Err is set
	ServedBy  string        `json:"served_by"` // X-Served-By of the answer, ServedByProxy if absent
	Err       string        `json:"error,omitempty"`
	Stream    string        `json:"stream,omitempty"` // the load stream that sent it; "" = the main one
}

// Mark kinds.
const (
	MarkApply = "apply" // a fault was applied
	MarkClear = "clear" // a fault was cleared
	MarkEvent = "event" // any other named moment (start, end, ...)
)

// Mark is a moment on the run's timeline.
type Mark struct {
	At     time.Time `json:"at"`
	Name   string    `json:"name"`
	Kind   string    `json:"kind"`
	Detail string    `json:"detail,omitempty"`
}

// Ledger is safe for concurrent use.
type Ledger struct {
	start time.Time

	mu    sync.Mutex
	rows  []Row
	marks []Mark
}

// New returns an empty ledger whose relative times count from start.
func New(start time.Time) *Ledger { return &Ledger{start: start} }

// Start is the origin of the run's relative times.
func (l *Ledger) Start() time.Time { return l.start }

// Record adds one request row.
func (l *Ledger) Record(r Row) {
	l.mu.Lock()
	l.rows = append(l.rows, r)
	l.mu.Unlock()
}

// Mark adds one timeline mark.
func (l *Ledger) Mark(m Mark) {
	l.mu.Lock()
	l.marks = append(l.marks, m)
	l.mu.Unlock()
}

// Rows returns a copy of the rows ordered by scheduled send time.
func (l *Ledger) Rows() []Row {
	l.mu.Lock()
	rows := append([]Row(nil), l.rows...)
	l.mu.Unlock()
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Scheduled.Before(rows[j].Scheduled) })
	return rows
}

// RowsFrom returns a copy of the rows recorded after the first i, in the
// order they were recorded (answers come in out of schedule order), and the
// count to pass next time. A live view polls it without copying the whole
// run every time.
func (l *Ledger) RowsFrom(i int) ([]Row, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if i < 0 || i > len(l.rows) {
		i = len(l.rows)
	}
	return append([]Row(nil), l.rows[i:]...), len(l.rows)
}

// Marks returns a copy of the marks ordered by time.
func (l *Ledger) Marks() []Mark {
	l.mu.Lock()
	marks := append([]Mark(nil), l.marks...)
	l.mu.Unlock()
	sort.SliceStable(marks, func(i, j int) bool { return marks[i].At.Before(marks[j].At) })
	return marks
}

// FindMark returns the first mark with the given name and kind.
func (l *Ledger) FindMark(name, kind string) (Mark, bool) {
	for _, m := range l.Marks() {
		if m.Name == name && m.Kind == kind {
			return m, true
		}
	}
	return Mark{}, false
}

// line is one JSON line of an export: exactly one of Row or Mark is set.
type line struct {
	Row  *Row  `json:"row,omitempty"`
	Mark *Mark `json:"mark,omitempty"`
}

// WriteJSONL writes every mark, then every row, one JSON object per line.
func (l *Ledger) WriteJSONL(w io.Writer) error {
	enc := json.NewEncoder(w)
	for _, m := range l.Marks() {
		if err := enc.Encode(line{Mark: &m}); err != nil {
			return fmt.Errorf("write ledger: %w", err)
		}
	}
	for _, r := range l.Rows() {
		if err := enc.Encode(line{Row: &r}); err != nil {
			return fmt.Errorf("write ledger: %w", err)
		}
	}
	return nil
}

// WriteCSV writes the rows as CSV with a header line; times are milliseconds
// since Start so a spreadsheet can plot them directly.
func (l *Ledger) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"seq", "scheduled_ms", "sent_ms", "latency_ms", "status", "served_by", "error"})
	ms := func(d time.Duration) string {
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 3, 64)
	}
	for _, r := range l.Rows() {
		_ = cw.Write([]string{
			strconv.Itoa(r.Seq), ms(r.Scheduled.Sub(l.start)), ms(r.Sent.Sub(l.start)),
			ms(r.Latency), strconv.Itoa(r.Status), r.ServedBy, r.Err,
		})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write ledger csv: %w", err)
	}
	return nil
}
