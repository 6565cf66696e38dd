package runner

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

// probeTimeout bounds a probe; a probe of a hung path records an error.
const probeTimeout = 2 * time.Second

// probe sends one GET of path to the proxy and marks the answer.
func probe(ctx context.Context, proxyURL, name, path string, l *ledger.Ledger) {
	at := time.Now()
	a := ask(ctx, proxyURL+path)
	detail, _ := json.Marshal(a) // strings and ints always marshal
	l.Mark(ledger.Mark{At: at, Name: name, Kind: ledger.MarkEvent, Detail: string(detail)})
}

func ask(ctx context.Context, url string) ledger.ProbeAnswer {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return ledger.ProbeAnswer{Err: err.Error()}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return ledger.ProbeAnswer{Err: err.Error()}
	}
	resp.Body.Close()
	a := ledger.ProbeAnswer{Status: resp.StatusCode, ServedBy: resp.Header.Get("X-Served-By"), Header: map[string]string{}}
	if a.ServedBy == "" {
		a.ServedBy = ledger.ServedByProxy
	}
	for k, vs := range resp.Header {
		a.Header[k] = vs[0]
	}
	return a
}
