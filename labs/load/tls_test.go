package load

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// With HTTP2 the load speaks HTTP/2 to a TLS server that offers it, and
// counts an HTTP/1.1 answer as an error, so a run cannot pass on the wrong
// protocol.
func TestRunHTTPS(t *testing.T) {
	tests := []struct {
		name        string
		serverH2    bool
		http2       bool
		wantProto   int // ProtoMajor the server saw
		wantErrRows bool
	}{
		{"http/1.1 over tls", true, false, 1, false},
		{"http2", true, true, 2, false},
		{"http2 wanted, server without", false, true, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := make(chan int, 100)
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				select {
				case seen <- r.ProtoMajor:
				default:
				}
			}))
			srv.EnableHTTP2 = tt.serverH2
			srv.StartTLS()
			defer srv.Close()
			roots := x509.NewCertPool()
			roots.AddCert(srv.Certificate())

			rows := runLoad(t, Spec{Target: srv.URL, Rate: 20, Duration: 200 * time.Millisecond,
				TLS: &tls.Config{RootCAs: roots}, HTTP2: tt.http2})
			if len(rows) == 0 {
				t.Fatal("got no rows")
			}
			for _, r := range rows {
				if gotErr := r.Err != ""; gotErr != tt.wantErrRows {
					t.Fatalf("seq %d: got status %d error %q, want error: %v", r.Seq, r.Status, r.Err, tt.wantErrRows)
				}
			}
			if got := <-seen; got != tt.wantProto {
				t.Errorf("server saw HTTP/%d, want HTTP/%d", got, tt.wantProto)
			}
		})
	}
}
