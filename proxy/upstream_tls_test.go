package proxy_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/fixtures/certs"
	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/health"
	"github.com/failover-lab/failover-lab/proxy/member"
)

// httpsMember is an https backend named name whose certificate is leaf;
// clientCAs, when set, makes it require a client certificate they signed.
func httpsMember(t *testing.T, name string, leaf *certs.Pair, clientCA *certs.CA) config.Member {
	t.Helper()
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Served-By", name)
		fmt.Fprintln(w, name)
	}))
	s.TLS = &tls.Config{Certificates: []tls.Certificate{leaf.TLS()}}
	if clientCA != nil {
		s.TLS.ClientAuth, s.TLS.ClientCAs = tls.RequireAndVerifyClientCert, clientCA.Pool()
	}
	s.StartTLS()
	t.Cleanup(s.Close)
	return config.Member{Name: name, URL: s.URL, Weight: 1}
}

func issue(t *testing.T, ca *certs.CA, l certs.Leaf) *certs.Pair {
	t.Helper()
	p, err := ca.Issue(l)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// An https member is verified against the pool's CA bundle and server
// name; one whose certificate fails is a member failure named as such in
// its why-timeline, by the passive path and by the active check alike,
// and the request goes to the standby.
func TestHTTPSMembers(t *testing.T) {
	dir := t.TempDir()
	ca, _ := certs.NewCA("members CA")
	stranger, _ := certs.NewCA("another CA")
	caFile, _ := ca.WriteFile(dir, "ca")
	client := issue(t, ca, certs.Leaf{Names: []string{"proxy"}, Client: true})
	clientCrt, clientKey, _ := client.WriteFiles(dir, "client")
	now := time.Now()
	good := issue(t, ca, certs.Leaf{Names: []string{"app.internal"}})
	tests := []struct {
		name      string
		leaf      *certs.Pair
		clientCA  *certs.CA
		tls       config.UpstreamTLS
		wantCause string // "" when the member serves
	}{
		{"verified by the CA and server name", good, nil, config.UpstreamTLS{CA: caFile, ServerName: "app.internal"}, ""},
		{"client certificate presented", good, ca, config.UpstreamTLS{CA: caFile, ServerName: "app.internal", Cert: clientCrt, Key: clientKey}, ""},
		{"unknown authority", issue(t, stranger, certs.Leaf{Names: []string{"app.internal"}}), nil,
			config.UpstreamTLS{CA: caFile, ServerName: "app.internal"}, "tls: certificate: x509: certificate signed by unknown authority"},
		{"expired", issue(t, ca, certs.Leaf{Names: []string{"app.internal"}, NotBefore: now.Add(-48 * time.Hour), NotAfter: now.Add(-time.Hour)}), nil,
			config.UpstreamTLS{CA: caFile, ServerName: "app.internal"}, "tls: certificate: x509: certificate has expired or is not yet valid"},
		{"wrong name", good, nil, config.UpstreamTLS{CA: caFile, ServerName: "db.internal"},
			"tls: certificate: x509: certificate is valid for app.internal, not db.internal"},
		{"client certificate missing", good, ca, config.UpstreamTLS{CA: caFile, ServerName: "app.internal"},
			"tls: handshake refused: tls: certificate required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := httpsMember(t, "service", tt.leaf, tt.clientCA)
			stb := newBackend(t, "failover")
			p := testPool(m, standby(stb))
			p.TLS = &tt.tls
			p.Passive.Failures = 1 // checks are off: no probe would confirm it
			s, front := newServer(t, p, false)
			got := do(t, "GET", front.URL+"/cart", "")
			svc := s.Pools()["web"].Member("service")
			if tt.wantCause == "" {
				if got.status != 200 || got.servedBy != "service" {
					t.Fatalf("got %d from %q, want 200 from the https member", got.status, got.servedBy)
				}
				return
			}
			if got.status != 200 || got.servedBy != "failover" {
				t.Fatalf("got %d from %q, want 200 from failover", got.status, got.servedBy)
			}
			tr, _ := svc.LastTransition()
			if svc.Health() != member.Error || !strings.HasPrefix(tr.Cause, "passive: "+tt.wantCause) || !strings.HasSuffix(tr.Cause, " on GET /cart") {
				t.Errorf("passive: got %s with cause %q, want error with %q", svc.Health(), tr.Cause, "passive: "+tt.wantCause+" on GET /cart")
			}
			// The active check goes through the same transport and names the same cause.
			c := &health.Checker{Pool: s.Pools()["web"]}
			if res := c.CheckOnce(context.Background(), svc); res.Pass || !strings.HasPrefix(res.Reason, tt.wantCause) {
				t.Errorf("check: got pass=%v %q, want a failure with %q", res.Pass, res.Reason, tt.wantCause)
			}
		})
	}
}

// A plain-HTTP server behind an https:// URL is named for what it is.
func TestHTTPSMemberSpeakingPlainHTTP(t *testing.T) {
	plain := newBackend(t, "service")
	m := config.Member{Name: "service", URL: strings.Replace(plain.srv.URL, "http://", "https://", 1), Weight: 1}
	pc := testPool(m)
	pc.Passive.Failures, pc.Passive.EjectLast = 1, true // checks off, the only member
	s, front := newServer(t, pc, false)
	if got := do(t, "GET", front.URL+"/", ""); got.status != http.StatusBadGateway {
		t.Fatalf("got %d, want 502", got.status)
	}
	tr, _ := s.Pools()["web"].Member("service").LastTransition()
	if want := "passive: tls: not a TLS server: "; !strings.HasPrefix(tr.Cause, want) {
		t.Errorf("cause: got %q, want it to start with %q", tr.Cause, want)
	}
}

// A member restarted with a wrong certificate mid-run: new connections to
// it fail verification, the request goes to the standby, the cause says
// why; once the right certificate is back, the checks readmit it.
func TestMemberCertificateReplacedMidRun(t *testing.T) {
	dir := t.TempDir()
	ca, _ := certs.NewCA("members CA")
	stranger, _ := certs.NewCA("another CA")
	caFile, _ := ca.WriteFile(dir, "ca")
	right := issue(t, ca, certs.Leaf{Names: []string{"app.internal"}}).TLS()
	wrong := issue(t, stranger, certs.Leaf{Names: []string{"app.internal"}}).TLS()
	var current atomic.Pointer[tls.Certificate]
	current.Store(&right)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Served-By", "service")
	}))
	srv.TLS = &tls.Config{GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return current.Load(), nil }}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	stb := newBackend(t, "failover")
	p := testPool(config.Member{Name: "service", URL: srv.URL, Weight: 1}, standby(stb))
	p.TLS = &config.UpstreamTLS{CA: caFile, ServerName: "app.internal"}
	p.Health.DownInterval = 50 * time.Millisecond
	p.Passive.HoldDown = 100 * time.Millisecond
	s, front := newServer(t, p, true)
	if got := do(t, "GET", front.URL+"/", ""); got.status != 200 || got.servedBy != "service" {
		t.Fatalf("before: got %d from %q, want 200 from service", got.status, got.servedBy)
	}

	current.Store(&wrong)
	srv.CloseClientConnections() // as a restart does: the next connection meets the wrong certificate
	if got := do(t, "GET", front.URL+"/", ""); got.status != 200 || got.servedBy != "failover" {
		t.Fatalf("wrong certificate: got %d from %q, want 200 from failover", got.status, got.servedBy)
	}
	m := s.Pools()["web"].Member("service")
	eventually(t, 5*time.Second, "service out with a tls cause", func() bool {
		tr, _ := m.LastTransition()
		return !m.Usable() && strings.Contains(tr.Cause, "tls: certificate: x509: certificate signed by unknown authority")
	})

	current.Store(&right)
	eventually(t, 5*time.Second, "service readmitted", m.Usable)
	if got := do(t, "GET", front.URL+"/", ""); got.status != 200 || got.servedBy != "service" {
		t.Errorf("after the fix: got %d from %q, want 200 from service", got.status, got.servedBy)
	}
}
