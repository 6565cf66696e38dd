package metrics_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/proxy"
	"github.com/failover-lab/failover-lab/proxy/buildinfo"
	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/metrics"
)

func TestBudgetRefusalsAndChecks(t *testing.T) {
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) }))
	defer bad.Close()
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer good.Close()
	pc := config.DefaultPool()
	pc.Members = []config.Member{{Name: "bad", URL: bad.URL, Weight: 1}, {Name: "good", URL: good.URL, Weight: 1}}
	pc.Passive.Failures = 1000
	pc.Retry.BudgetFloor = 1 // 10 retries in the 10 s window
	pc.Retry.BudgetRatio = 0.01
	cfg := config.Default()
	cfg.Pools = map[string]*config.Pool{"web": &pc}
	cfg.ApplyDefaults()
	srv, err := proxy.NewServer(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := metrics.Attach(srv)
	for range 24 { // 12 fail on bad: 10 retried, 2 refused
		rec := httptest.NewRecorder()
		srv.Handler.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	bi := buildinfo.Read()
	for _, want := range []string{
		`failover_proxy_retries_total{member="bad",pool="web"} 10`,
		`failover_proxy_retry_budget_refusals_total{pool="web"} 2`,
		`failover_proxy_requests_total{code="5xx",pool="web"} 2`,
		`failover_proxy_pool_usable_members{pool="web"} 2`,
		`failover_proxy_member_in_flight_requests{member="good",pool="web"} 0`,
		fmt.Sprintf(`failover_proxy_build_info{goversion=%q,revision=%q,version=%q} 1`, bi.GoVersion, bi.CommitOrUnknown(), bi.Version),
		`failover_proxy_poison_requests_total{member="good",pool="web"} 0`,
		`failover_proxy_rescued_attempts_total{member="bad",pool="web"} 0`,
		`failover_proxy_passive_ejections_refused_total{member="bad",pool="web"} 0`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
