package runner

import (
	"context"
	"encoding/json"

	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/load"
)

// probeTimeout bounds a probe; a probe of a hung path records an error.
const probeTimeout = load.ProbeTimeout

// probe sends one GET of path to the proxy, from where the load runs, and
// marks the answer at the moment it was sent.
func probe(ctx context.Context, snd labs.Sender, name, path string, l *ledger.Ledger) {
	at, a := snd.Get(ctx, path)
	detail, _ := json.Marshal(a) // strings and ints always marshal
	l.Mark(ledger.Mark{At: at, Name: name, Kind: ledger.MarkEvent, Detail: string(detail)})
}
