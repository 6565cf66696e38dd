package admin_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy"
	"github.com/failover-lab/failover-lab/proxy/admin"
	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/metrics"
)

type lab struct {
	srv          *proxy.Server
	front, admin *httptest.Server
	svcStatus    *atomic.Int32
}

// newLab runs a proxy with a primary "service" (status switchable) and a
// standby "failover", with checks, metrics and the admin API.
func newLab(t *testing.T, token string) *lab {
	t.Helper()
	var status atomic.Int32
	status.Store(200)
	backend := func(name string, st *atomic.Int32) *httptest.Server {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Served-By", name)
			code := 200
			if st != nil {
				code = int(st.Load())
			}
			w.WriteHeader(code)
		}))
		t.Cleanup(s.Close)
		return s
	}
	svc, stb := backend("service", &status), backend("failover", nil)
	pc := config.DefaultPool()
	pc.Members = []config.Member{
		{Name: "service", URL: svc.URL, Tier: config.Primary, Weight: 1},
		{Name: "failover", URL: stb.URL, Tier: config.Standby, Weight: 1},
	}
	cfg := config.Default()
	cfg.Pools = map[string]*config.Pool{"web": &pc}
	cfg.ApplyDefaults()
	srv, err := proxy.NewServer(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := metrics.Attach(srv)
	srv.Start(t.Context())
	t.Cleanup(srv.Stop)
	deadline := time.Now().Add(5 * time.Second)
	for _, m := range srv.Pools()["web"].Members { // the checks at start are done
		for m.LastCheck() == nil {
			if time.Now().After(deadline) {
				t.Fatal("first checks not done within 5s")
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	a := admin.New(srv, admin.Options{Token: func() string { return token }, Metrics: m.Handler(), Reload: func() error {
		return srv.Reload(func() (*config.Config, error) {
			return config.Parse(strings.NewReader("pools: {web: {members: [{url: ftp://x}]}}"), "broken.yaml")
		})
	}})
	a.SetReady(true)
	l := &lab{srv: srv, front: httptest.NewServer(srv.Handler), admin: httptest.NewServer(a), svcStatus: &status}
	t.Cleanup(l.front.Close)
	t.Cleanup(l.admin.Close)
	return l
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func post(t *testing.T, url, token string) (int, string) {
	t.Helper()
	hdr := map[string]string{"X-Requested-By": "test"} // a non-simple request, as the page's buttons send
	if token != "" {
		hdr["Authorization"] = "Bearer " + token
	}
	return send(t, "POST", url, hdr)
}

func status(t *testing.T, l *lab) admin.Status {
	t.Helper()
	_, body := get(t, l.admin.URL+"/status")
	var st admin.Status
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		t.Fatalf("status JSON: %v\n%s", err, body)
	}
	return st
}

func TestStatusSaysWhoIsOutWhyAndNextProbe(t *testing.T) {
	l := newLab(t, "")
	l.svcStatus.Store(500)
	get(t, l.front.URL+"/cart")

	// The 500 made service suspect; the probe at once confirms it.
	var st admin.Status
	deadline := time.Now().Add(2 * time.Second)
	for st = status(t, l); st.Pools[0].Members[0].State != "error" && time.Now().Before(deadline); st = status(t, l) {
		time.Sleep(10 * time.Millisecond)
	}
	p := st.Pools[0]
	svc := p.Members[0]
	if p.Serving != "failover" {
		t.Errorf("serving: got %q, want failover", p.Serving)
	}
	if svc.Name != "service" || svc.State != "error" || svc.Cause != "passive: 500 on GET /cart, probe: status 500" || svc.Since == nil {
		t.Errorf("service: got state %q cause %q since %v, want error, passive: 500 on GET /cart, probe: status 500, a time", svc.State, svc.Cause, svc.Since)
	}
	if svc.NextCheck == nil || svc.NextCheck.Sub(*svc.Since) < 4900*time.Millisecond || !strings.Contains(svc.NextProbe, "when the hold-down ends") {
		t.Errorf("next probe: got %v %q, want at the hold-down's end (5s after the failure)", svc.NextCheck, svc.NextProbe)
	}
	if svc.Retries != 1 || len(svc.RecentCodes) == 0 || svc.RecentCodes[len(svc.RecentCodes)-1] != 500 {
		t.Errorf("counters: got retries %d codes %v, want 1 and a trailing 500", svc.Retries, svc.RecentCodes)
	}

	code, page := get(t, l.admin.URL+"/")
	for _, want := range []string{"Serving now: <strong>failover</strong>", "passive: 500 on GET /cart", "when the hold-down ends", "Why-timeline of service"} {
		if code != 200 || !strings.Contains(page, want) {
			t.Errorf("page (%d) lacks %q", code, want)
		}
	}

	_, m := get(t, l.admin.URL+"/metrics")
	for _, want := range []string{
		`failover_proxy_member_transitions_total{cause="passive",member="service",pool="web",to="error"} 1`,
		`failover_proxy_member_state{member="service",pool="web",state="error",tier="primary"} 1`,
		`failover_proxy_retries_total{member="service",pool="web"} 1`,
		`failover_proxy_upstream_responses_total{code="5xx",member="service",pool="web"} 1`,
		`failover_proxy_requests_total{code="2xx",pool="web"} 1`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestDrainDisableEnable(t *testing.T) {
	l := newLab(t, "")
	by := func() string {
		resp, err := http.Get(l.front.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.Header.Get("X-Served-By")
	}
	for _, step := range []struct{ action, wantState, wantBy string }{
		{"drain", "draining", "failover"},
		{"enable", "up", "service"},
		{"disable", "disabled", "failover"},
		{"enable", "up", "service"},
	} {
		code, body := post(t, l.admin.URL+"/pools/web/members/service/"+step.action, "")
		if code != 200 || !strings.Contains(body, `"state": "`+step.wantState+`"`) {
			t.Errorf("%s: got %d %s, want state %s", step.action, code, body, step.wantState)
		}
		if got := by(); got != step.wantBy {
			t.Errorf("after %s: served by %q, want %q", step.action, got, step.wantBy)
		}
	}
	tl := status(t, l).Pools[0].Members[0].Timeline
	if len(tl) != 4 || tl[0].Cause != "admin: enable" || tl[3].Cause != "admin: drain" || tl[3].To != "draining" {
		t.Errorf("timeline (newest first): got %+v", tl)
	}
	if code, _ := post(t, l.admin.URL+"/pools/web/members/nobody/drain", ""); code != 404 {
		t.Errorf("unknown member: got %d, want 404", code)
	}
	if code, _ := post(t, l.admin.URL+"/pools/web/members/service/explode", ""); code != 400 {
		t.Errorf("unknown action: got %d, want 400", code)
	}
}

func TestTokenRequiredOnChangesAndReads(t *testing.T) {
	l := newLab(t, "s3cret")
	if code, _ := post(t, l.admin.URL+"/pools/web/members/service/drain", ""); code != 401 {
		t.Errorf("no token: got %d, want 401", code)
	}
	if code, _ := post(t, l.admin.URL+"/pools/web/members/service/drain", "wrong"); code != 401 {
		t.Errorf("wrong token: got %d, want 401", code)
	}
	if code, _ := post(t, l.admin.URL+"/pools/web/members/service/drain", "s3cret"); code != 200 {
		t.Errorf("right token: got %d, want 200", code)
	}
	if code, _ := get(t, l.admin.URL+"/status"); code != 401 {
		t.Errorf("reading without the token: got %d, want 401", code)
	}
}

func TestFailedReloadShown(t *testing.T) {
	l := newLab(t, "")
	code, body := post(t, l.admin.URL+"/reload", "")
	if code != 422 || !strings.Contains(body, "broken.yaml:1:31: pools.web.members[0].url: scheme must be http or https") {
		t.Errorf("reload: got %d %s", code, body)
	}
	if _, page := get(t, l.admin.URL+"/"); !strings.Contains(page, "FAILED, the old config is still in use") {
		t.Error("page does not show the failed reload")
	}
	if code, _ := get(t, l.front.URL+"/"); code != 200 {
		t.Errorf("traffic after a failed reload: got %d, want 200", code)
	}
	if _, m := get(t, l.admin.URL+"/metrics"); !strings.Contains(m, "failover_proxy_config_last_reload_successful 0") ||
		!strings.Contains(m, `failover_proxy_config_reloads_total{result="failure"} 1`) {
		t.Error("metrics do not show the failed reload")
	}
}

func TestReady(t *testing.T) {
	l := newLab(t, "")
	if code, _ := get(t, l.admin.URL+"/ready"); code != 200 {
		t.Errorf("ready: got %d, want 200", code)
	}
	a := admin.New(l.srv, admin.Options{})
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, httptest.NewRequest("GET", "/ready", nil))
	if rec.Code != 503 {
		t.Errorf("before SetReady: got %d, want 503", rec.Code)
	}
}
