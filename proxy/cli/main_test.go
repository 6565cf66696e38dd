package cli

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
)

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "lab.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheck(t *testing.T) {
	good := writeFile(t, "pools:\n  web:\n    members:\n      - {url: \"http://127.0.0.1:9001\"}\n")
	bad := writeFile(t, "pools:\n  web:\n    members:\n      - {url: \"ftp://127.0.0.1:9001\"}\n")
	tests := []struct {
		name     string
		file     string
		wantCode int
		want     string
	}{
		{"good", good, 0, good + ": ok"},
		{"bad", bad, 1, bad + ":4:15: pools.web.members[0].url: scheme must be http or https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run([]string{"-check", tt.file}, &out, &errb)
			if code != tt.wantCode || !strings.Contains(out.String()+errb.String(), tt.want) {
				t.Errorf("got code %d, output %q, want code %d with %q", code, out.String()+errb.String(), tt.wantCode, tt.want)
			}
		})
	}
}

func TestQuickStartMatchesFileDefaults(t *testing.T) {
	var o options
	fs := newFlagSet(&o)
	if err := fs.Parse([]string{"-primary", "http://127.0.0.1:9001,http://127.0.0.1:9003", "-standby", "http://127.0.0.1:9002",
		"-health-path", "/health", "-health-interval", "3s"}); err != nil {
		t.Fatal(err)
	}
	cfg, err := o.load(fs)
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Pools["default"]
	want := config.DefaultPool()
	if p.Health.Path != "/health" || p.Health.Interval != 3*time.Second || p.Health.DownInterval != want.Health.DownInterval ||
		p.Passive.HoldDown != want.Passive.HoldDown || p.Retry.Attempts != want.Retry.Attempts {
		t.Errorf("quick-start pool: got %+v", p)
	}
	if len(p.Members) != 3 || p.Members[2].Tier != config.Standby || p.Members[0].Name != "127.0.0.1:9001" {
		t.Errorf("members: got %+v", p.Members)
	}
	if cfg.Listen[0] != config.DefaultListen || cfg.Admin.Listen != config.DefaultAdminListen {
		t.Errorf("listeners: got %v %q", cfg.Listen, cfg.Admin.Listen)
	}
}

func TestAdminRefusesPublicBindWithoutToken(t *testing.T) {
	var errb bytes.Buffer
	code := run([]string{"-primary", "http://127.0.0.1:9001", "-listen", "127.0.0.1:0", "-admin", "0.0.0.0:0"}, &bytes.Buffer{}, &errb)
	if code == 0 || !strings.Contains(errb.String(), "admin.listen: 0.0.0.0:0 is not a loopback address: set admin.token") {
		t.Errorf("got code %d, %q, want a refusal", code, errb.String())
	}
}

func TestHealthcheckSubcommand(t *testing.T) {
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer ok.Close()
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) }))
	defer bad.Close()
	if code := run([]string{"healthcheck", ok.URL}, &bytes.Buffer{}, &bytes.Buffer{}); code != 0 {
		t.Errorf("healthy: got exit %d, want 0", code)
	}
	if code := run([]string{"healthcheck", bad.URL}, &bytes.Buffer{}, &bytes.Buffer{}); code != 1 {
		t.Errorf("503: got exit %d, want 1", code)
	}
}

// started runs serve with cfg and returns the traffic and admin addresses;
// the returned stop ends it and waits.
func started(t *testing.T, cfg *config.Config, load func() (*config.Config, error), logs *syncBuffer) (traffic, admin string, stop func()) {
	t.Helper()
	all, admin, stop := startedAll(t, cfg, load, logs)
	return all[0], admin, stop
}

// startedAll is started with every traffic address, in config order
// (listen, then listeners).
func startedAll(t *testing.T, cfg *config.Config, load func() (*config.Config, error), logs *syncBuffer) (traffic []string, admin string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	type addrs struct {
		traffic []string
		admin   string
	}
	ready := make(chan addrs, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, cfg, load, logs, func(tr []string, adm string) { ready <- addrs{tr, adm} })
	}()
	select {
	case a := <-ready:
		stop = func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		}
		t.Cleanup(func() { cancel() })
		return a.traffic, a.admin, stop
	case err := <-done:
		cancel()
		t.Fatalf("serve ended early: %v", err)
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("serve did not become ready")
	}
	return nil, "", nil
}
