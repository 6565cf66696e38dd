package runner

import (
	"context"

	"encoding/json"
	"github.com/failover-lab/failover-lab/labs"
	"net/http"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

// probeTimeout bounds a probe; a probe of a hung path records an error.
const probeTimeout = 2 * time.Second

// probe sends one GET of path to the proxy and marks the answer.
func probe(ctx context.Context, client *http.Client, proxyURL, name, path string, l *ledger.Ledger) {
	at := time.Now()
	a := ask(ctx, client, proxyURL+path)
	detail, _ := json.Marshal(a) // strings and ints always marshal
	l.Mark(ledger.Mark{At: at, Name: name, Kind: ledger.MarkEvent, Detail: string(detail)})
}

func ask(ctx context.Context, client *http.Client, url string) ledger.ProbeAnswer {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return ledger.ProbeAnswer{Err: err.Error()}
	}
	resp, err := client.Do(req)
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

// clientOf is the warm-up's and the probes' client: it trusts the run's CA
// when the proxy listens over TLS, and speaks HTTP/2 there when the server
// offers it (as browsers do).
func clientOf(run labs.Run) *http.Client {
	tr := &http.Transport{Proxy: nil, TLSClientConfig: run.ClientTLS(), ForceAttemptHTTP2: true, DisableKeepAlives: true}
	return &http.Client{Timeout: 2 * time.Second, Transport: tr}
}
