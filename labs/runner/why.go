package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// why reads node's member state and the cause of its last transition from
// the proxy's admin GET /status and marks them, for an expectation
// {probe: NAME, cause: TEXT}. A failed read is kept as the answer's error.
func why(ctx context.Context, run labs.Run, name, node string, l *ledger.Ledger) {
	at := time.Now()
	a, err := memberStatus(ctx, run.AdminURL()+"/status", run.AdminToken(), node)
	if err != nil {
		a = ledger.ProbeAnswer{Err: err.Error()}
	}
	detail, _ := json.Marshal(a) // strings and ints always marshal
	l.Mark(ledger.Mark{At: at, Name: name, Kind: ledger.MarkEvent, Detail: string(detail)})
}

// status is the part of the admin's /status (proxy/admin Status) a why
// event reads.
type status struct {
	Pools []struct {
		Name    string `json:"name"`
		Members []struct {
			Name  string `json:"name"`
			State string `json:"state"`
			Cause string `json:"cause"`
		} `json:"members"`
	} `json:"pools"`
}

// token is the admin's bearer token: off loopback (a proxy in a
// container) the admin wants it on GETs too.
func memberStatus(ctx context.Context, url, token, node string) (ledger.ProbeAnswer, error) {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return ledger.ProbeAnswer{}, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return ledger.ProbeAnswer{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return ledger.ProbeAnswer{}, fmt.Errorf("GET /status: status %d", resp.StatusCode)
	}
	var st status
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&st); err != nil {
		return ledger.ProbeAnswer{}, fmt.Errorf("GET /status: %w", err)
	}
	for _, p := range st.Pools {
		if p.Name != vocab.PoolName {
			continue
		}
		for _, m := range p.Members {
			if m.Name == node {
				return ledger.ProbeAnswer{State: m.State, Cause: m.Cause}, nil
			}
		}
	}
	return ledger.ProbeAnswer{}, fmt.Errorf("GET /status: no member %s in pool %s", node, vocab.PoolName)
}
