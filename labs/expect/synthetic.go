package expect

import (
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

// Synthetic builds a ledger without running anything, for tests and
// examples: a "start" mark at start, the given marks (At is taken as an
// offset from start: time.Time{}.Add(d)), and one request every 1/rate for
// length, each answered as answer says for its offset (only Status,
// ServedBy, Err and Latency are read).
func Synthetic(start time.Time, rate int, length time.Duration, marks []ledger.Mark, answer func(at time.Duration) ledger.Row) *ledger.Ledger {
	l := ledger.New(start)
	l.Mark(ledger.Mark{At: start, Name: scenario.Start, Kind: ledger.MarkEvent})
	for _, m := range marks {
		m.At = start.Add(m.At.Sub(time.Time{}))
		l.Mark(m)
	}
	step := time.Second / time.Duration(rate)
	for i := 0; time.Duration(i)*step < length; i++ {
		at := time.Duration(i) * step
		r := answer(at)
		r.Seq = i
		r.Scheduled = start.Add(at)
		r.Sent = r.Scheduled
		if r.Err == "" && r.ServedBy == "" {
			r.ServedBy = ledger.ServedByProxy
		}
		l.Record(r)
	}
	return l
}

// At is a mark at an offset, for Synthetic.
func At(d time.Duration, name, kind string) ledger.Mark {
	return ledger.Mark{At: time.Time{}.Add(d), Name: name, Kind: kind}
}
