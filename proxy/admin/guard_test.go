package admin_test

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/proxy"
	"github.com/failover-lab/failover-lab/proxy/admin"
	"github.com/failover-lab/failover-lab/proxy/config"
)

// send makes one admin request with the given headers ("Host" sets the
// Host line) and returns the status and body.
func send(t *testing.T, method, url string, hdr map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(hdr["body"]))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		switch k {
		case "Host":
			req.Host = v
		case "body":
		default:
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestBrowserCannotActCrossSite: a page on another site posted text/plain
// to the tokenless loopback admin and drained members (200).
func TestBrowserCannotActCrossSite(t *testing.T) {
	l := newLab(t, "")
	drain := l.admin.URL + "/pools/web/members/service/drain"
	for _, tc := range []struct {
		name string
		hdr  map[string]string
		want int
	}{
		{"cross-site text/plain (a fetch with no-cors)", map[string]string{"Content-Type": "text/plain", "Sec-Fetch-Site": "cross-site", "Origin": "http://evil.example"}, 403},
		{"simple form, old browser (Origin only)", map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example"}, 403},
		{"simple request, no browser headers", map[string]string{"Content-Type": "text/plain"}, 403},
		{"same-site form without a custom header", map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-site"}, 403},
		{"cross-site even with the header", map[string]string{"X-Requested-By": "x", "Sec-Fetch-Site": "cross-site"}, 403},
		{"the page's own button", map[string]string{"X-Requested-By": "failover-proxy-admin", "Sec-Fetch-Site": "same-origin"}, 200},
		{"curl with JSON", map[string]string{"Content-Type": "application/json"}, 200},
	} {
		if code, body := send(t, "POST", drain, tc.hdr); code != tc.want {
			t.Errorf("%s: got %d %s, want %d", tc.name, code, body, tc.want)
		}
	}
}

// TestHostMustBeTheAdmins: a DNS-rebound name reached the admin.
func TestHostMustBeTheAdmins(t *testing.T) {
	l := newLab(t, "")
	port := l.admin.URL[strings.LastIndex(l.admin.URL, ":"):]
	for host, want := range map[string]int{
		"evil.example" + port: 421,
		"evil.example":        421,
		"localhost" + port:    200,
		"LOCALHOST.":          200,
		"127.0.0.1" + port:    200,
		"[::1]" + port:        200,
	} {
		if code, _ := send(t, "GET", l.admin.URL+"/status", map[string]string{"Host": host}); code != want {
			t.Errorf("GET /status with Host %s: got %d, want %d", host, code, want)
		}
	}
	hdr := map[string]string{"Host": "evil.example", "X-Requested-By": "x"}
	if code, _ := send(t, "POST", l.admin.URL+"/pools/web/members/service/drain", hdr); code != 421 {
		t.Errorf("POST with a foreign Host: got %d, want 421", code)
	}
	if code, _ := send(t, "GET", l.admin.URL+"/ready", map[string]string{"Host": "proxy"}); code != 200 {
		t.Errorf("/ready by a container name: got %d, want 200", code)
	}
}

// TestTokenOnReadsAnySchemeCase: reads were never authenticated, and
// "bearer" (lower case) was refused.
func TestTokenOnReadsAnySchemeCase(t *testing.T) {
	l := newLab(t, "s3cret")
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("anyone:s3cret"))
	for _, tc := range []struct {
		path, auth string
		want       int
	}{
		{"/status", "", 401},
		{"/", "", 401},
		{"/metrics", "", 401},
		{"/status", "Bearer wrong", 401},
		{"/status", "Bearer s3cret", 200},
		{"/status", "bearer s3cret", 200},
		{"/status", "BEARER s3cret", 200},
		{"/", basic, 200},
		{"/metrics", "Bearer s3cret", 200},
		{"/status", "Basic " + base64.StdEncoding.EncodeToString([]byte("s3cret:wrong")), 401},
		{"/ready", "", 200},
	} {
		if code, _ := send(t, "GET", l.admin.URL+tc.path, map[string]string{"Authorization": tc.auth}); code != tc.want {
			t.Errorf("GET %s with %q: got %d, want %d", tc.path, tc.auth, code, tc.want)
		}
	}
	hdr := map[string]string{"Authorization": "bearer s3cret"}
	if code, _ := send(t, "POST", l.admin.URL+"/pools/web/members/service/drain", hdr); code != 200 {
		t.Errorf("POST with a lower-case bearer: got %d, want 200", code)
	}
	// A browser's cached Basic credential is no proof of intent: the
	// request must still be non-simple.
	hdr = map[string]string{"Authorization": basic, "Content-Type": "text/plain"}
	if code, _ := send(t, "POST", l.admin.URL+"/pools/web/members/service/enable", hdr); code != 403 {
		t.Errorf("simple POST with Basic: got %d, want 403", code)
	}
}

// TestCredentialsRedacted: a member URL's password was shown on /status
// and the page.
func TestCredentialsRedacted(t *testing.T) {
	m := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(m.Close)
	pc := config.DefaultPool()
	pc.Members = []config.Member{{Name: "m", URL: strings.Replace(m.URL, "http://", "http://user:hunter2@", 1), Weight: 1}}
	cfg := config.Default()
	cfg.Pools = map[string]*config.Pool{"web": &pc}
	cfg.ApplyDefaults()
	srv, err := proxy.NewServer(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := httptest.NewServer(admin.New(srv, admin.Options{}))
	t.Cleanup(a.Close)
	for _, path := range []string{"/status", "/"} {
		code, body := get(t, a.URL+path)
		if code != 200 || strings.Contains(body, "hunter2") || !strings.Contains(body, "user:xxxxx@") {
			t.Errorf("%s: got %d, want the password redacted:\n%s", path, code, body)
		}
	}
}

// TestPageButtons: the page offers drain/disable/enable and reload as
// buttons whose script sends the non-simple POST the admin requires.
func TestPageButtons(t *testing.T) {
	l := newLab(t, "")
	code, page := get(t, l.admin.URL+"/")
	for _, want := range []string{
		`<button data-post="/pools/web/members/service/drain">drain</button>`,
		`<button data-post="/pools/web/members/failover/enable">enable</button>`,
		`data-post="/pools/web/members/service/disable"`,
		`<button data-post="/reload"`,
		`<script src="/admin.js"></script>`,
	} {
		if code != 200 || !strings.Contains(page, want) {
			t.Errorf("page (%d) lacks %s", code, want)
		}
	}
	resp, err := http.Get(l.admin.URL + "/admin.js")
	if err != nil {
		t.Fatal(err)
	}
	js, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(js), "'X-Requested-By'") || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Errorf("admin.js: got %s with CSP %q", js, resp.Header.Get("Content-Security-Policy"))
	}
	if resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("X-Frame-Options: got %q, want DENY", resp.Header.Get("X-Frame-Options"))
	}
}
