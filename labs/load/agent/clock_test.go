package agent

import (
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

// The origin comes from the exchange with the shortest round trip, the
// agent's reading put at its middle; the bound is half that trip.
func TestPlaceOrigin(t *testing.T) {
	lab := time.Now()
	origin := lab.Add(-5 * time.Second) // the agent started 5 s before
	ms := time.Millisecond
	xs := []exchange{
		// 30 ms there, 10 ms back: a slow one, not used.
		{asked: lab, answered: lab.Add(40 * ms), at: lab.Add(30 * ms).Sub(origin)},
		// 1 ms each way: the best.
		{asked: lab.Add(100 * ms), answered: lab.Add(102 * ms), at: lab.Add(101 * ms).Sub(origin)},
		// 2 ms there, 4 ms back.
		{asked: lab.Add(200 * ms), answered: lab.Add(206 * ms), at: lab.Add(202 * ms).Sub(origin)},
	}
	got, bound := placeOrigin(xs)
	if !got.Equal(origin) || bound != ms {
		t.Errorf("got origin %v bound %v, want %v and 1ms", got.Sub(lab), bound, origin.Sub(lab))
	}
	// A lopsided best exchange is off by less than the bound.
	xs = []exchange{{asked: lab, answered: lab.Add(10 * ms), at: lab.Add(9 * ms).Sub(origin)}}
	got, bound = placeOrigin(xs)
	if off := got.Sub(origin).Abs(); off > bound || bound != 5*ms {
		t.Errorf("lopsided: off by %v, bound %v; want within a bound of 5ms", off, bound)
	}
	if got, bound := placeOrigin(nil); !got.IsZero() || bound != 0 {
		t.Errorf("no exchange: got %v %v, want zero", got, bound)
	}
}

// A row crosses as offsets and lands on the lab's clock at the agent's
// origin plus each offset, every other field as it was.
func TestRowOffsetsToTheLedger(t *testing.T) {
	agentOrigin := time.Now() // on the agent's clock
	row := ledger.Row{Seq: 7, Scheduled: agentOrigin.Add(2 * time.Second), Sent: agentOrigin.Add(2*time.Second + 3*time.Millisecond),
		Latency: 40 * time.Millisecond, Status: 200, ServedBy: "failover", Stream: "abuse"}
	w := toWire(3, agentOrigin, row)
	if w.ID != 3 || w.Scheduled != 2*time.Second || w.Sent != 2003*time.Millisecond {
		t.Fatalf("on the wire: got %+v, want offsets 2s and 2.003s of load 3", w)
	}
	labOrigin := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC) // the same instant on the lab's clock
	got := fromWire(labOrigin, w)
	want := row
	want.Scheduled, want.Sent = labOrigin.Add(2*time.Second), labOrigin.Add(2003*time.Millisecond)
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
