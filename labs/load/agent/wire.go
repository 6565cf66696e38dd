// Package agent runs the lab's load, warm-up and probes beside the
// topology: `lab serve load` in a container on the run's own network,
// driven by the lab over the container's stdin and stdout, so that the
// timings measure the proxy and not the way to a remote Docker engine.
//
//	lab (Client)                                    container on the run's network (Serve)
//	  stdin  ──▶ {"clock":1} {"load":{id,spec}} {"get":{id,url}} {"stop":id}
//	  stdout ◀── {"clock":{n,at}} {"row":{id,…}} {"answer":{id,…}} {"done":{id,error}}
//	                                                   │ labs/load: vegeta, one row per request
//	                                                   ▼
//	                                              proxy:8080 (its network alias)
//
// Times cross as offsets from the agent's origin (the instant it
// started), measured on its own monotonic clock; the lab never reads the
// container's wall clock, which on a remote engine is another machine's.
// The lab places that origin on its own clock with clock exchanges, as
// NTP does: it notes when it asked (T0) and when the answer came (T1), the
// agent answers its offset at, and origin ≈ T0 + (T1−T0)/2 − at, taken from
// the exchange with the shortest round trip. Every row and answer then
// lands on the lab's clock, beside the marks the lab takes itself (faults,
// clears), within half that round trip: the ledger's format is unchanged.
package agent

import (
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/load"
)

// request is one line the lab writes: exactly one field is set. Ids are
// the lab's, from 1.
type request struct {
	Clock int      `json:"clock,omitempty"` // answered with the agent's offset
	Load  *loadReq `json:"load,omitempty"`
	Get   *getReq  `json:"get,omitempty"`
	Stop  int      `json:"stop,omitempty"` // cancel load Stop
}

type loadReq struct {
	ID   int       `json:"id"`
	Spec load.Spec `json:"spec"`
}

type getReq struct {
	ID    int        `json:"id"`
	URL   string     `json:"url"`
	Reach load.Reach `json:"reach"`
}

// event is one line the agent writes: exactly one field is set.
type event struct {
	Clock  *clockEvent  `json:"clock,omitempty"`
	Row    *rowEvent    `json:"row,omitempty"`
	Answer *answerEvent `json:"answer,omitempty"`
	Done   *doneEvent   `json:"done,omitempty"`
}

type clockEvent struct {
	N  int           `json:"n"`
	At time.Duration `json:"at"` // since the agent's origin
}

// rowEvent is a ledger.Row of load ID with its times as offsets from the
// agent's origin.
type rowEvent struct {
	ID        int           `json:"id"`
	Seq       int           `json:"seq"`
	Scheduled time.Duration `json:"scheduled"`
	Sent      time.Duration `json:"sent"`
	Latency   time.Duration `json:"latency"`
	Status    int           `json:"status,omitempty"`
	ServedBy  string        `json:"served_by,omitempty"`
	Err       string        `json:"error,omitempty"`
	Stream    string        `json:"stream,omitempty"`
}

type answerEvent struct {
	ID     int                `json:"id"`
	Sent   time.Duration      `json:"sent"`
	Answer ledger.ProbeAnswer `json:"answer"`
}

// doneEvent ends load ID: Err is why it could not run ("" when it ran
// its course or was stopped).
type doneEvent struct {
	ID  int    `json:"id"`
	Err string `json:"error,omitempty"`
}

// toWire is r with its times as offsets from origin.
func toWire(id int, origin time.Time, r ledger.Row) rowEvent {
	return rowEvent{ID: id, Seq: r.Seq, Scheduled: r.Scheduled.Sub(origin), Sent: r.Sent.Sub(origin), Latency: r.Latency,
		Status: r.Status, ServedBy: r.ServedBy, Err: r.Err, Stream: r.Stream}
}

// fromWire is the row of e with its offsets placed after origin, the
// agent's origin on the lab's clock.
func fromWire(origin time.Time, e rowEvent) ledger.Row {
	return ledger.Row{Seq: e.Seq, Scheduled: origin.Add(e.Scheduled), Sent: origin.Add(e.Sent), Latency: e.Latency,
		Status: e.Status, ServedBy: e.ServedBy, Err: e.Err, Stream: e.Stream}
}
