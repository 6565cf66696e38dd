package proxy_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/proxy"
	"github.com/failover-lab/failover-lab/proxy/config"
)

// rawGet sends target verbatim (no client-side cleaning) and returns the
// status and the X-Served-By header.
func rawGet(t *testing.T, addr, target string) (int, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", target)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("%s: %v", target, err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("X-Served-By")
}

// TestBasePathCannotBeEscaped: "/../" and "..%2F" once climbed out of a
// member's base path, and %2F was decoded on the way.
func TestBasePathCannotBeEscaped(t *testing.T) {
	got := make(chan string, 1)
	m := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.RequestURI
	}))
	t.Cleanup(m.Close)
	p := testPool(config.Member{Name: "m", URL: m.URL + "/app/", Weight: 1})
	_, front := newServer(t, p, false)
	addr := strings.TrimPrefix(front.URL, "http://")
	for _, tc := range []struct {
		target, want string
		status       int
	}{
		{"/x%2Fy?q=%2F", "/app/x%2Fy?q=%2F", 200},
		{"/../secret", "/app/secret", 200},
		{"/a/%2e%2e/%2e%2e/secret", "/app/secret", 200},
		{"/a/..%2F..%2Fsecret", "", 400},
	} {
		status, _ := rawGet(t, addr, tc.target)
		if status != tc.status {
			t.Errorf("%s: got status %d, want %d", tc.target, status, tc.status)
			continue
		}
		if tc.want == "" {
			continue
		}
		if uri := <-got; uri != tc.want {
			t.Errorf("%s: member got %s, want %s", tc.target, uri, tc.want)
		}
	}
}

// TestRoutesMatchCleanedPath: "/public/../admin" went to the "/" pool
// with its dots, for that pool's member to resolve into /admin.
func TestRoutesMatchCleanedPath(t *testing.T) {
	web, adm := newBackend(t, "web"), newBackend(t, "admin")
	cfg := config.Default()
	cfg.Pools = map[string]*config.Pool{"web": testPool(primary(web)), "admin": testPool(primary(adm))}
	cfg.Routes = []config.Route{{Path: "/", Pool: "web"}, {Path: "/admin/", Pool: "admin"}}
	cfg.ApplyDefaults()
	s, err := proxy.NewServer(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.NoChecks = true
	front := httptest.NewServer(s.Handler)
	t.Cleanup(front.Close)
	addr := strings.TrimPrefix(front.URL, "http://")
	for target, want := range map[string]string{
		"/public/../admin/x": "admin",
		"//admin/x":          "admin",
		"/%61dmin/x":         "admin", // routes match the decoded path
		"/public/x":          "web",
	} {
		if _, by := rawGet(t, addr, target); by != want {
			t.Errorf("%s: served by %q, want %q", target, by, want)
		}
	}
}
