package proxy_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// The proxy passes Accept-Encoding and Content-Encoding through untouched:
// it neither asks a member for gzip on the client's behalf nor gunzips
// the member's answer.
func TestContentEncodingPassesThrough(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	io.WriteString(zw, "compressed page\n")
	zw.Close()
	be := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Seen-Accept-Encoding", r.Header.Get("Accept-Encoding"))
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gz.Bytes())
	}))
	defer be.Close()
	_, front := newServer(t, testPool(config.Member{Name: "be", URL: be.URL, Weight: 1}), false)

	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	defer client.CloseIdleConnections()
	resp, err := client.Get(front.URL + "/")
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if got := resp.Header.Get("X-Seen-Accept-Encoding"); got != "" {
		t.Errorf("member saw Accept-Encoding %q, want none (the client sent none)", got)
	}
	if got := resp.Header.Get("Content-Encoding"); got != "gzip" {
		t.Errorf("Content-Encoding %q, want gzip", got)
	}
	if !bytes.Equal(body, gz.Bytes()) {
		t.Errorf("body %q, want the member's gzip bytes unchanged", body)
	}
}
