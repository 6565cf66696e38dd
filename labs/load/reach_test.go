package load

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

// The rule: loopback, the engine's address, the run's own network;
// nothing else, whatever the spelling.
func TestReach(t *testing.T) {
	run := Reach{Engine: "10.1.2.2", Network: []string{"proxy", "service"}}
	tests := []struct {
		name  string
		reach Reach
		url   string
		ok    bool
	}{
		{"loopback", Reach{}, "http://127.0.0.1:8080/x", true},
		{"loopback, with a run", run, "http://127.0.0.1:8080/", true},
		{"the engine", run, "http://10.1.2.2:32768/", true},
		{"the engine's name", Reach{Engine: "docker"}, "http://docker:32768/", true},
		{"the proxy on the run's network", run, "http://proxy:8080/", true},
		{"a node on the run's network", run, "http://service:8080/", true},
		{"the engine when there is none", Reach{}, "http://10.1.2.2:32768/", false},
		{"a name off the run's network", run, "http://db:5432/", false},
		{"another address", run, "http://10.1.2.3:8080/", false},
		{"another loopback spelling", run, "http://localhost:8080/", false},
		{"an address beyond the machine", run, "http://192.0.2.1:80/", false},
		{"no port", run, "http://proxy/", false},
		{"https", run, "https://proxy:8443/", false},
		{"user info", run, "http://u:p@proxy:8080/", false},
		{"no host", run, "http://:8080/", false},
		{"an empty network name", Reach{Network: []string{""}}, "http://:8080/", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := url.Parse(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			err = tt.reach.Check(u)
			if ok := err == nil; ok != tt.ok {
				t.Errorf("Check(%s) with %+v: got %v, want allowed: %v", tt.url, tt.reach, err, tt.ok)
			}
			if !tt.ok && !errors.Is(err, ErrNotLoopback) {
				t.Errorf("got %v, want ErrNotLoopback", err)
			}
		})
	}
}

// The dialer refuses a host the rule does not allow before resolving it,
// and dials one it does.
func TestReachDial(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	dial := Reach{Network: []string{"localhost"}}.Dial(&net.Dialer{Timeout: time.Second})
	c, err := dial(context.Background(), "tcp", net.JoinHostPort("localhost", port))
	if err != nil {
		t.Fatalf("a name of the run's network: %v", err)
	}
	c.Close()
	if _, err := dial(context.Background(), "tcp", net.JoinHostPort("ip6-localhost", port)); !errors.Is(err, ErrNotLoopback) {
		t.Errorf("a name off the run's network: got %v, want ErrNotLoopback", err)
	}
}

// Load on the run's own network goes to the names of its containers
// ("localhost" stands in for the proxy's alias); the same spec without
// them is refused.
func TestRunGoesToTheRunsNetwork(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Served-By", "service")
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	for _, malformed := range []string{"", "short"} {
		l := ledger.New(time.Now())
		spec := Spec{Target: "http://localhost:" + port, Reach: Reach{Network: []string{"localhost"}}, Rate: 50,
			Duration: 100 * time.Millisecond, Method: http.MethodPost, Malformed: malformed}
		if err := Run(t.Context(), spec, l); err != nil {
			t.Fatalf("malformed %q: %v", malformed, err)
		}
		if rows := l.Rows(); len(rows) == 0 || rows[0].ServedBy != "service" {
			t.Fatalf("malformed %q: got %+v, want answers from service", malformed, rows)
		}
		spec.Reach = Reach{Engine: "10.1.2.2"}
		if err := Run(t.Context(), spec, l); !errors.Is(err, ErrNotLoopback) {
			t.Errorf("malformed %q, not the run's network: got %v, want ErrNotLoopback", malformed, err)
		}
	}
}
