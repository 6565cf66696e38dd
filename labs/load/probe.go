package load

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

// ProbeTimeout bounds one probe: a probe of a hung path records an error.
const ProbeTimeout = 2 * time.Second

// ProbeClient is the warm-up's and the probes' client: a new connection
// per GET, only where r allows; it trusts tc's roots when the proxy
// listens over TLS and speaks HTTP/2 there when the server offers it (as
// browsers do).
func (r Reach) ProbeClient(tc *tls.Config) *http.Client {
	tr := &http.Transport{Proxy: nil, DialContext: r.Dial(&net.Dialer{Timeout: ProbeTimeout}), TLSClientConfig: tc,
		ForceAttemptHTTP2: true, DisableKeepAlives: true}
	return &http.Client{Timeout: ProbeTimeout, Transport: tr}
}

// Probe sends one GET of url with client and returns what came back: the
// status, who served it (X-Served-By, ServedByProxy when absent) and the
// first value of each header; or the error, after ProbeTimeout at most.
func Probe(ctx context.Context, client *http.Client, url string) ledger.ProbeAnswer {
	ctx, cancel := context.WithTimeout(ctx, ProbeTimeout)
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
