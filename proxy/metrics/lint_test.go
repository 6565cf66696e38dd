package metrics_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/failover-lab/failover-lab/proxy"
	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/metrics"
)

func webConfig(t *testing.T, urls ...string) *config.Config {
	t.Helper()
	pc := config.DefaultPool()
	for i, u := range urls {
		pc.Members = append(pc.Members, config.Member{Name: string(rune('a' + i)), URL: u, Weight: 1})
	}
	cfg := config.Default()
	cfg.Pools = map[string]*config.Pool{"web": &pc}
	cfg.ApplyDefaults()
	return cfg
}

// TestExpositionLint applies promtool's `check metrics` rules (client_golang's
// promlint) to everything /metrics serves, with every series present.
func TestExpositionLint(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer up.Close()
	srv, err := proxy.NewServer(webConfig(t, up.URL, up.URL), nil)
	if err != nil {
		t.Fatal(err)
	}
	m := metrics.Attach(srv)
	srv.Handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	problems, err := testutil.GatherAndLint(m.Registry)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
}

// TestZeroSeriesAndReload: every series of a pool and member exists at 0
// from the start and after a reload adds a member; a failed reload sets
// _successful to 0 and keeps the success timestamp.
func TestZeroSeriesAndReload(t *testing.T) {
	cfg := webConfig(t, "http://127.0.0.1:1")
	srv, err := proxy.NewServer(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := metrics.Attach(srv)
	scrape := func() string {
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		return rec.Body.String()
	}
	value := func(body, series string) string {
		for _, line := range strings.Split(body, "\n") {
			if v, ok := strings.CutPrefix(line, series+" "); ok {
				return v
			}
		}
		return "absent"
	}
	body := scrape()
	for _, series := range []string{
		`failover_proxy_requests_total{code="5xx",pool="web"}`,
		`failover_proxy_upstream_responses_total{code="2xx",member="a",pool="web"}`,
		`failover_proxy_upstream_errors_total{cause="dial",member="a",pool="web"}`,
		`failover_proxy_upstream_errors_total{cause="member-timeout",member="a",pool="web"}`,
		`failover_proxy_upstream_errors_total{cause="client-gone",member="a",pool="web"}`,
		`failover_proxy_retries_total{member="a",pool="web"}`,
		`failover_proxy_retry_budget_refusals_total{pool="web"}`,
		`failover_proxy_member_transitions_total{cause="passive",member="a",pool="web",to="error"}`,
		`failover_proxy_config_reloads_total{result="failure"}`,
		`failover_proxy_check_duration_seconds_count{member="a",pool="web",result="fail"}`,
		`failover_proxy_request_duration_seconds_count{pool="web"}`,
	} {
		if got := value(body, series); got != "0" {
			t.Errorf("%s: got %s, want 0", series, got)
		}
	}
	for _, old := range []string{"config_last_reload_ok", "member_in_flight{", "upstream_requests_total"} {
		if strings.Contains(body, old) {
			t.Errorf("old name %s still served", old)
		}
	}
	const ok, at = "failover_proxy_config_last_reload_successful", "failover_proxy_config_last_reload_success_timestamp_seconds"
	started := value(body, at)
	if value(body, ok) != "1" || started == "0" || started == "absent" {
		t.Errorf("at start: got %s=%s %s=%s, want 1 and the start time", ok, value(body, ok), at, started)
	}

	next := webConfig(t, "http://127.0.0.1:1", "http://127.0.0.1:2")
	if err := srv.Reload(func() (*config.Config, error) { return next, nil }); err != nil {
		t.Fatal(err)
	}
	body = scrape()
	if got := value(body, `failover_proxy_upstream_errors_total{cause="dial",member="b",pool="web"}`); got != "0" {
		t.Errorf("member added by reload: got %s, want 0", got)
	}
	reloaded := value(body, at)
	if srv.Reload(func() (*config.Config, error) { return nil, errors.New("broken") }) == nil {
		t.Fatal("failed reload returned no error")
	}
	body = scrape()
	if value(body, ok) != "0" || value(body, at) != reloaded {
		t.Errorf("after a failed reload: got %s=%s %s=%s, want 0 and %s", ok, value(body, ok), at, value(body, at), reloaded)
	}
	if got := value(body, `failover_proxy_config_reloads_total{result="success"}`); got != "1" {
		t.Errorf("successful reloads: got %s, want 1", got)
	}
}
