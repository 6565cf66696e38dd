package proxy

import (
	"net"
	"net/http"
	"net/http/httputil"
	"strings"
)

// Shared header values: a header map holds them as read-only slices (the
// transport only reads them; Header.Clone on a retry copies them).
var (
	protoHTTP   = []string{"http"}
	protoHTTPS  = []string{"https"}
	noUserAgent = []string{""}
)

// setXForwarded does what ProxyRequest.SetXForwarded does, keeping the
// inbound X-Forwarded-For chain (Rewrite drops it) and appending the
// client: X-Forwarded-For, X-Forwarded-Host and X-Forwarded-Proto. It
// also sets the empty User-Agent ReverseProxy would set when the client
// sent none (so Go's default is not sent). Header.Set allocates a slice
// per value; here For and Host share one and the constants none.
func setXForwarded(pr *httputil.ProxyRequest) {
	forwardedFor(pr.Out.Header, pr.In, pr.In.Header["X-Forwarded-For"])
}

// forwardedFor sets the X-Forwarded-* headers and User-Agent of h for the
// client request in, whose X-Forwarded-For values were prior.
func forwardedFor(h http.Header, in *http.Request, prior []string) {
	host := in.Host
	if ip, _, err := net.SplitHostPort(in.RemoteAddr); err == nil {
		if len(prior) > 0 {
			ip = strings.Join(prior, ", ") + ", " + ip
		}
		v := []string{ip, host}
		h["X-Forwarded-For"] = v[0:1:1] // capacity cut: an Add cannot write into the Host's slot
		h["X-Forwarded-Host"] = v[1:2:2]
	} else {
		delete(h, "X-Forwarded-For")
		h["X-Forwarded-Host"] = []string{host}
	}
	if in.TLS == nil {
		h["X-Forwarded-Proto"] = protoHTTP
	} else {
		h["X-Forwarded-Proto"] = protoHTTPS
	}
	if _, ok := h["User-Agent"]; !ok {
		h["User-Agent"] = noUserAgent
	}
}
