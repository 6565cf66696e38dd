package load

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

// Each malformed kind reaches the server as a body it cannot read; rows
// carry the stream's tag.
func TestMalformedBodies(t *testing.T) {
	for _, kind := range MalformedKinds {
		t.Run(kind, func(t *testing.T) {
			bodyErr := make(chan error, 10)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, err := io.ReadAll(r.Body)
				bodyErr <- err
				w.Header().Set("X-Served-By", "be")
				w.WriteHeader(http.StatusBadRequest)
			}))
			defer srv.Close()
			l := ledger.New(time.Now())
			spec := Spec{Target: srv.URL, Method: "POST", Path: "/order", Rate: 20, Duration: 200 * time.Millisecond, Malformed: kind, Stream: "bad"}
			if err := Run(context.Background(), spec, l); err != nil {
				t.Fatal(err)
			}
			rows := l.Rows()
			if len(rows) != 4 {
				t.Fatalf("got %d rows, want 4 (20/s for 200 ms)", len(rows))
			}
			for _, r := range rows {
				if r.Status != 400 || r.ServedBy != "be" || r.Stream != "bad" {
					t.Errorf("row %+v: want 400 from be in stream bad", r)
				}
			}
			if err := <-bodyErr; err == nil {
				t.Errorf("the server read the body without error, want a broken body")
			}
		})
	}
}
