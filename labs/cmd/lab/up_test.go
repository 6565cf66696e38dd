package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/ledger"
)

// fakeRun is a started demo made of httptest servers.
type fakeRun struct {
	proxy, admin *httptest.Server

	mu      sync.Mutex
	applied []vocab.Fault
	cleared []string
	closed  bool
}

func (r *fakeRun) ID() string                 { return "demo-test" }
func (r *fakeRun) ProxyURL() string           { return r.proxy.URL }
func (r *fakeRun) AdminURL() string           { return r.admin.URL }
func (r *fakeRun) AdminToken() string         { return "" }
func (r *fakeRun) ClientTLS() *tls.Config     { return nil }
func (r *fakeRun) NodeURL(name string) string { return "http://127.0.0.1:1" }
func (r *fakeRun) Apply(ctx context.Context, f vocab.Fault) (labs.Applied, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.applied = append(r.applied, f)
	return labs.Applied{Fault: f, At: time.Now()}, nil
}
func (r *fakeRun) Clear(ctx context.Context, a labs.Applied) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cleared = append(r.cleared, a.Fault.Name)
	return nil
}
func (r *fakeRun) Close(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	return nil
}

type fakeDriver struct {
	run     *fakeRun
	started vocab.Topology
}

func (d *fakeDriver) Name() string { return "fake" }
func (d *fakeDriver) Start(ctx context.Context, t vocab.Topology, l *ledger.Ledger) (labs.Run, error) {
	d.started = t
	return d.run, nil
}

// syncBuffer is written by up's goroutine and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startUp runs up in the background and returns its output once the guide
// is printed, and a stop function returning up's error.
func startUp(t *testing.T, o upOpts, d labs.Driver) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- up(ctx, o, d, out) }()
	deadline := time.After(10 * time.Second)
	for !strings.Contains(out.String(), "Ctrl-C stops") {
		select {
		case err := <-done:
			t.Fatalf("up returned early: %v\n%s", err, out.String())
		case <-deadline:
			t.Fatalf("no guide after 10s:\n%s", out.String())
		case <-time.After(10 * time.Millisecond): // polling the output under a deadline
		}
	}
	return out.String(), func() error { cancel(); return <-done }
}

// guideURL returns the URL printed after label in the guide.
func guideURL(t *testing.T, guide, label string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^\s+` + label + `\s+(?:curl -X \w+ )?(http://127\.0\.0\.1:\d+)`).FindStringSubmatch(guide)
	if m == nil {
		t.Fatalf("no %s URL in the guide:\n%s", label, guide)
	}
	return m[1]
}

func newFakeRun(t *testing.T) *fakeRun {
	named := func(name string) *httptest.Server {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Served-By", name)
		}))
		t.Cleanup(s.Close)
		return s
	}
	return &fakeRun{proxy: named("service"), admin: named("admin")}
}

func TestUpExposesTheDemoAndCleansUp(t *testing.T) {
	run := newFakeRun(t)
	d := &fakeDriver{run: run}
	guide, stop := startUp(t, upOpts{proxy: "127.0.0.1:0", admin: "127.0.0.1:0", control: "127.0.0.1:0"}, d)

	if got := d.started; len(got.Nodes) != 2 || got.Nodes[0].Name != "service" || got.Nodes[1].Role != vocab.RoleStandby {
		t.Errorf("started topology %+v, want service primary and failover standby", got)
	}
	proxy := guideURL(t, guide, "open")
	if proxy == run.proxy.URL {
		t.Fatalf("proxy URL %s is the run's own, want a forwarded one", proxy)
	}
	if by := get(t, proxy+"/").Header.Get("X-Served-By"); by != "service" {
		t.Errorf("through the forwarded proxy port: X-Served-By %q, want service", by)
	}
	if by := get(t, guideURL(t, guide, "admin")+"/").Header.Get("X-Served-By"); by != "admin" {
		t.Errorf("through the forwarded admin port: X-Served-By %q, want admin", by)
	}

	control := guideURL(t, guide, "break")
	resp, err := http.Post(control+"/faults", "application/json", strings.NewReader(`{"id":"broken","kind":"status","status":500}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("POST /faults: got %d, want 201", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodDelete, control+"/faults", nil)
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("DELETE /faults: got %d, want 204", resp.StatusCode)
	}
	run.mu.Lock()
	if len(run.applied) != 1 || run.applied[0].Node != "service" || run.applied[0].Settings != (faults.HTTPStatus{Status: 500}) {
		t.Errorf("applied %+v, want one status-500 fault on service", run.applied)
	}
	if len(run.cleared) != 1 || run.cleared[0] != "broken" {
		t.Errorf("cleared %v, want [broken]", run.cleared)
	}
	run.mu.Unlock()

	if err := stop(); err != nil {
		t.Errorf("up: %v", err)
	}
	run.mu.Lock()
	defer run.mu.Unlock()
	if !run.closed {
		t.Error("run not closed after Ctrl-C")
	}
	if c, err := net.Dial("tcp", strings.TrimPrefix(proxy, "http://")); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after up returned", proxy)
	}
}

func TestUpFallsBackWhenAPortIsTaken(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	run := newFakeRun(t)
	guide, stop := startUp(t, upOpts{proxy: taken.Addr().String(), admin: "127.0.0.1:0", control: taken.Addr().String()}, &fakeDriver{run: run})
	defer stop()

	if !strings.Contains(guide, taken.Addr().String()+" is taken") {
		t.Errorf("guide does not say %s is taken:\n%s", taken.Addr(), guide)
	}
	if got := guideURL(t, guide, "open"); got != run.proxy.URL {
		t.Errorf("proxy URL: got %s, want the run's own %s", got, run.proxy.URL)
	}
	if got := guideURL(t, guide, "break"); strings.Contains(got, taken.Addr().String()) {
		t.Errorf("control URL %s is the taken address", got)
	}
}

func TestForwarderCloseCutsOpenConnections(t *testing.T) {
	hold := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		<-hold // a long answer still streaming when the demo stops
	}))
	defer srv.Close()
	defer close(hold)

	f, err := forward("127.0.0.1:0", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	resp := get(t, "http://"+f.Addr()+"/")
	closed := make(chan error, 1)
	go func() { closed <- f.Close() }()
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Error("reading the open answer after Close: got no error, want the connection cut")
	}
	if err := <-closed; err != nil {
		t.Errorf("Close: %v", err)
	}
}

func TestForwardRefusesNonLoopback(t *testing.T) {
	if _, err := forward("127.0.0.1:0", "192.0.2.1:80"); err == nil {
		t.Error("forward to 192.0.2.1: got nil error, want a refusal")
	}
}

func get(t *testing.T, url string) *http.Response {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}
