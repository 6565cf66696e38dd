package load

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

// runLoad runs s against the ledger it returns, failing the test on error.
func runLoad(t *testing.T, s Spec) []ledger.Row {
	t.Helper()
	l := ledger.New(time.Now())
	if err := Run(t.Context(), s, l); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return l.Rows()
}

func TestRunKeepsTheRate(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("X-Served-By", "service")
	}))
	defer srv.Close()

	rows := runLoad(t, Spec{Target: srv.URL, Rate: 50, Duration: time.Second})

	// 50/s for 1 s is 50 requests; allow a busy machine some slack.
	if n := len(rows); n < 45 || n > 52 {
		t.Fatalf("got %d rows, want 50 ± 5", n)
	}
	if got := hits.Load(); got != int64(len(rows)) {
		t.Errorf("server saw %d requests, ledger has %d rows", got, len(rows))
	}
	for i, r := range rows {
		if r.Seq != i || r.Status != 200 || r.ServedBy != "service" {
			t.Fatalf("row %d: got seq %d status %d served_by %q, want seq %d 200 service", i, r.Seq, r.Status, r.ServedBy, i)
		}
		// The schedule is exact even when sending is not: 20 ms apart.
		// (A row picked up a hair before its due time — two workers
		// swapping sequence numbers on a busy machine — is clamped to its
		// send time instead.)
		if i > 0 && !r.Scheduled.Equal(r.Sent) && !rows[i-1].Scheduled.Equal(rows[i-1].Sent) {
			if gap := r.Scheduled.Sub(rows[i-1].Scheduled); gap != 20*time.Millisecond {
				t.Fatalf("row %d: scheduled %v after the previous one, want 20ms", i, gap)
			}
		}
		if r.Sent.Before(r.Scheduled) || r.Latency < r.Sent.Sub(r.Scheduled) {
			t.Fatalf("row %d: scheduled %v sent %v latency %v: sent before schedule or latency not from schedule", i, r.Scheduled, r.Sent, r.Latency)
		}
	}
}

func TestRunCountsLatencyFromTheSchedule(t *testing.T) {
	const service = 100 * time.Millisecond
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(service) // the server is slow; this is its behaviour, not a wait in the test
	}))
	defer srv.Close()

	// One worker, 50/s wanted, 10/s served: the backlog must show in latency.
	rows := runLoad(t, Spec{Target: srv.URL, Rate: 50, Duration: 300 * time.Millisecond, MaxWorkers: 1})
	if len(rows) < 3 {
		t.Fatalf("got %d rows, want at least 3", len(rows))
	}
	last := rows[len(rows)-1]
	if last.Latency < 2*service {
		t.Errorf("last row latency %v, want > %v: latency must include the wait behind the stalled schedule", last.Latency, 2*service)
	}
	if late := last.Sent.Sub(last.Scheduled); late < service {
		t.Errorf("last row sent %v after its schedule, want > %v", late, service)
	}
}

func TestRunRecordsStatusAndServedBy(t *testing.T) {
	// The answer depends on the request's sequence number, so every row can be checked.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seq, _ := strconv.Atoi(r.Header.Get("X-Vegeta-Seq"))
		switch seq % 3 {
		case 0:
			w.Header().Set("X-Served-By", "service")
		case 1:
			w.Header().Set("X-Served-By", "failover")
			w.WriteHeader(http.StatusInternalServerError)
		case 2:
			w.WriteHeader(http.StatusBadGateway) // no X-Served-By: counted as the proxy's
		}
	}))
	defer srv.Close()

	rows := runLoad(t, Spec{Target: srv.URL, Rate: 100, Duration: 300 * time.Millisecond})
	if len(rows) < 6 {
		t.Fatalf("got %d rows, want at least 6", len(rows))
	}
	want := []struct {
		status int
		by     string
	}{{200, "service"}, {500, "failover"}, {502, ledger.ServedByProxy}}
	for _, r := range rows {
		w := want[r.Seq%3]
		if r.Status != w.status || r.ServedBy != w.by || r.Err != "" {
			t.Errorf("seq %d: got %d %q err %q, want %d %q no error", r.Seq, r.Status, r.ServedBy, r.Err, w.status, w.by)
		}
	}
}

func TestRunClassifiesErrors(t *testing.T) {
	tests := []struct {
		name   string
		target func(t *testing.T) string
		want   string
	}{
		{"closed port", closedPort, ledger.ErrRefused},
		{"reset before answering", rawServer(func(c *net.TCPConn) { _ = c.SetLinger(0) }), ledger.ErrReset},
		{"closed before answering", rawServer(func(c *net.TCPConn) {}), ledger.ErrReset},
		{"closed mid-body", rawServer(func(c *net.TCPConn) {
			_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial")
		}), ledger.ErrReset},
		{"hanging handler", hangingServer, ledger.ErrTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := runLoad(t, Spec{Target: tt.target(t), Rate: 20, Duration: 200 * time.Millisecond, Timeout: 100 * time.Millisecond})
			if len(rows) == 0 {
				t.Fatal("got no rows")
			}
			for _, r := range rows {
				if r.Err != tt.want || r.Status != 0 {
					t.Errorf("seq %d: got status %d error %q, want status 0 error %q", r.Seq, r.Status, r.Err, tt.want)
				}
			}
		})
	}
}

// closedPort returns the URL of a port nobody listens on.
func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// rawServer returns a target that reads each request, calls misbehave on
// the connection and closes it.
func rawServer(misbehave func(*net.TCPConn)) func(t *testing.T) string {
	return func(t *testing.T) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		t.Cleanup(func() { ln.Close(); wg.Wait() })
		wg.Go(func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				wg.Go(func() {
					defer c.Close()
					buf := make([]byte, 4096)
					if _, err := c.Read(buf); err != nil {
						return
					}
					misbehave(c.(*net.TCPConn))
				})
			}
		})
		return "http://" + ln.Addr().String()
	}
}

// hangingServer never answers until the client gives up or the test ends.
func hangingServer(t *testing.T) string {
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(func() { close(done); srv.Close() })
	return srv.URL
}

func TestRunFreshAndKeepAliveConnections(t *testing.T) {
	tests := []struct {
		name  string
		fresh float64
		check func(newConns, requests int) bool
		want  string
	}{
		{"keep-alive", 0, func(n, r int) bool { return n <= r/4 }, "at most a quarter of the requests"},
		{"half fresh", 0.5, func(n, r int) bool { return n >= r/2 && n < r }, "at least half, fewer than all"},
		{"all fresh", 1, func(n, r int) bool { return n == r }, "one per request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var newConns atomic.Int64
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
			srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					newConns.Add(1)
				}
			}
			srv.Start()
			defer srv.Close()

			rows := runLoad(t, Spec{Target: srv.URL, Rate: 100, Duration: 400 * time.Millisecond, FreshConns: tt.fresh})
			n := int(newConns.Load())
			if !tt.check(n, len(rows)) {
				t.Errorf("got %d new connections for %d requests, want %s", n, len(rows), tt.want)
			}
		})
	}
}

func TestRunSendsMethodHeadersBodyAndFreshIdempotencyKeys(t *testing.T) {
	var mu sync.Mutex
	keys := map[string]int{}
	var bad []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		keys[r.Header.Get(IdempotencyKeyHeader)]++
		if r.Method != http.MethodPost || r.URL.RequestURI() != "/orders?x=1" || string(body) != `{"n":1}` || r.Header.Get("X-Test") != "yes" {
			bad = append(bad, fmt.Sprintf("%s %s %q X-Test=%q", r.Method, r.URL.RequestURI(), body, r.Header.Get("X-Test")))
		}
	}))
	defer srv.Close()

	rows := runLoad(t, Spec{
		Target: srv.URL, Path: "/orders?x=1", Method: http.MethodPost,
		Header: http.Header{"X-Test": {"yes"}}, Body: []byte(`{"n":1}`), IdempotencyKey: true,
		Rate: 50, Duration: 200 * time.Millisecond,
	})
	mu.Lock()
	defer mu.Unlock()
	if len(bad) > 0 {
		t.Errorf("requests not as specified: %v", bad)
	}
	if len(keys) != len(rows) || keys[""] > 0 {
		t.Errorf("got %d distinct idempotency keys (%d empty) for %d requests, want one fresh key each", len(keys), keys[""], len(rows))
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	started := make(chan struct{}, 1)
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case started <- struct{}{}:
		default:
		}
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	defer srv.Close()
	defer close(done)

	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-started; cancel() }()
	l := ledger.New(time.Now())
	begin := time.Now()
	if err := Run(ctx, Spec{Target: srv.URL, Rate: 50, Timeout: time.Minute}, l); err != nil {
		t.Fatalf("Run: got %v, want nil on cancel", err)
	}
	if took := time.Since(begin); took > 30*time.Second {
		t.Errorf("Run took %v after cancel, want well under the 1m request timeout", took)
	}
	if rows := l.Rows(); len(rows) != 0 {
		t.Errorf("got %d rows, want none: requests cut short by cancel are not the system's answers", len(rows))
	}
}

func TestRunRefusesBadSpecs(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
		want error
	}{
		{"other host", Spec{Target: "http://10.0.0.1:8080", Rate: 1}, ErrNotLoopback},
		{"localhost by name", Spec{Target: "http://localhost:8080", Rate: 1}, ErrNotLoopback},
		{"https without tls", Spec{Target: "https://127.0.0.1:8443", Rate: 1}, ErrNotLoopback},
		{"https elsewhere", Spec{Target: "https://10.0.0.1:8443", Rate: 1, TLS: &tls.Config{}}, ErrNotLoopback},
		{"http2 without tls", Spec{Target: "http://127.0.0.1:8080", Rate: 1, HTTP2: true}, ErrInvalidSpec},
		{"no port", Spec{Target: "http://127.0.0.1", Rate: 1}, ErrNotLoopback},
		{"a host that is not the engine", Spec{Target: "http://10.0.0.1:8080", Reach: Reach{Engine: "10.0.0.2"}, Rate: 1}, ErrNotLoopback},
		{"a name not of the run's network", Spec{Target: "http://db:5432", Reach: Reach{Engine: "10.0.0.2", Network: []string{"proxy"}}, Rate: 1}, ErrNotLoopback},
		{"the engine without a port", Spec{Target: "http://10.0.0.2", Reach: Reach{Engine: "10.0.0.2"}, Rate: 1}, ErrNotLoopback},
		{"path is a URL", Spec{Target: "http://127.0.0.1:8080", Path: "http://example.com/", Rate: 1}, ErrInvalidSpec},
		{"no rate", Spec{Target: "http://127.0.0.1:8080"}, ErrInvalidSpec},
		{"fresh over 1", Spec{Target: "http://127.0.0.1:8080", Rate: 1, FreshConns: 1.5}, ErrInvalidSpec},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Run(t.Context(), tt.spec, ledger.New(time.Now()))
			if !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestRunCapsRequestsInFlight(t *testing.T) {
	var inFlight, most atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1) // before the answer is flushed: the client cannot send again first
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(50 * time.Millisecond) // a slow server: 100/s wanted needs 5 in flight
	}))
	defer srv.Close()

	rows := runLoad(t, Spec{Target: srv.URL, Rate: 100, Duration: 300 * time.Millisecond, MaxWorkers: 3})
	if got := most.Load(); got > 3 {
		t.Errorf("server saw %d requests at once, want at most MaxWorkers = 3", got)
	}
	for _, r := range rows {
		if r.Status != http.StatusOK {
			t.Fatalf("seq %d: got status %d error %q, want 200", r.Seq, r.Status, r.Err)
		}
	}
}

// A run on a Docker engine elsewhere (a dind service) is reached at the
// engine's address: the load goes there, named as the engine is named.
func TestRunGoesToTheEngine(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Served-By", "service")
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	l := ledger.New(time.Now())
	spec := Spec{Target: "http://localhost:" + port, Reach: Reach{Engine: "localhost"}, Rate: 50, Duration: 200 * time.Millisecond}
	if err := Run(t.Context(), spec, l); err != nil {
		t.Fatal(err)
	}
	rows := l.Rows()
	if len(rows) == 0 {
		t.Fatal("no rows")
	}
	for _, r := range rows {
		if r.Status != 200 || r.ServedBy != "service" {
			t.Fatalf("got %+v, want 200 from service", r)
		}
	}
	spec.Reach = Reach{}
	if err := Run(t.Context(), spec, l); !errors.Is(err, ErrNotLoopback) {
		t.Errorf("without Reach.Engine: got %v, want ErrNotLoopback", err)
	}
}
