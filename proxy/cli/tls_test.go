package cli

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/fixtures/certs"
	"github.com/failover-lab/failover-lab/proxy/config"
)

// testCerts is a CA and leaves written to a temporary directory.
type testCerts struct {
	dir   string
	ca    *certs.CA
	roots *x509.CertPool
}

func newTestCerts(t *testing.T) *testCerts {
	t.Helper()
	ca, err := certs.NewCA("test CA")
	if err != nil {
		t.Fatal(err)
	}
	return &testCerts{dir: t.TempDir(), ca: ca, roots: ca.Pool()}
}

// write issues a leaf and writes it as name.crt/name.key.
func (c *testCerts) write(t *testing.T, name string, l certs.Leaf) (crt, key string, leaf *x509.Certificate) {
	t.Helper()
	p, err := c.ca.Issue(l)
	if err != nil {
		t.Fatal(err)
	}
	crt, key, err = p.WriteFiles(c.dir, name)
	if err != nil {
		t.Fatal(err)
	}
	return crt, key, p.Cert
}

// client speaks HTTPS to the proxy with roots, sending serverName as SNI;
// tune, when set, changes its TLS config (versions, ciphers).
func client(roots *x509.CertPool, serverName string, protos *http.Protocols, tune func(*tls.Config)) *http.Client {
	tc := &tls.Config{RootCAs: roots, ServerName: serverName}
	if tune != nil {
		tune(tc)
	}
	tr := &http.Transport{TLSClientConfig: tc, Protocols: protos}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func protos(names ...string) *http.Protocols {
	p := new(http.Protocols)
	for _, n := range names {
		switch n {
		case "http1":
			p.SetHTTP1(true)
		case "http2":
			p.SetHTTP2(true)
		case "h2c":
			p.SetUnencryptedHTTP2(true)
		}
	}
	return p
}

func TestTLSListeners(t *testing.T) {
	c := newTestCerts(t)
	mainCrt, mainKey, _ := c.write(t, "main", certs.Leaf{Names: []string{"localhost", "127.0.0.1"}})
	otherCrt, otherKey, _ := c.write(t, "other", certs.Leaf{Names: []string{"other.test"}})
	member := namedBackend(t, "service", 200)
	cfg, err := config.Parse(strings.NewReader(fmt.Sprintf(`listen: ["127.0.0.1:0"]
listeners:
  - addr: 127.0.0.1:0
    tls:
      certificates: [{cert: %q, key: %q}, {cert: %q, key: %q}]
  - {addr: 127.0.0.1:0, protocols: [http1, h2c]}
  - {addr: 127.0.0.1:0, redirect_https: "8443"}
admin: {listen: "127.0.0.1:0"}
pools: {web: {members: [{name: service, url: %q}]}}
`, mainCrt, mainKey, otherCrt, otherKey, member.URL)), "tls.yaml")
	if err != nil {
		t.Fatal(err)
	}
	addrs, _, stop := startedAll(t, cfg, nil, &syncBuffer{})
	defer stop()
	plain, tlsAddr, h2c, redirect := addrs[0], addrs[1], addrs[2], addrs[3]
	tests := []struct {
		name      string
		client    *http.Client
		url       string
		wantProto int    // 0: want an error
		wantPeer  string // the certificate's first name, over TLS
	}{
		{"HTTP/2 by ALPN", client(c.roots, "localhost", protos("http1", "http2"), nil), "https://" + tlsAddr + "/", 2, "localhost"},
		{"SNI picks the second certificate", client(c.roots, "other.test", protos("http2"), nil), "https://" + tlsAddr + "/", 2, "other.test"},
		{"unknown SNI gets the first", client(c.roots, "", protos("http2"), func(tc *tls.Config) {
			tc.InsecureSkipVerify = true
		}), "https://" + tlsAddr + "/", 2, "localhost"},
		{"HTTP/1.1 over TLS still", client(c.roots, "localhost", protos("http1"), nil), "https://" + tlsAddr + "/", 1, "localhost"},
		{"TLS 1.1 refused", client(c.roots, "localhost", nil, func(tc *tls.Config) { tc.MaxVersion = tls.VersionTLS11 }), "https://" + tlsAddr + "/", 0, ""},
		{"CBC suite refused", client(c.roots, "localhost", nil, func(tc *tls.Config) {
			tc.MaxVersion, tc.CipherSuites = tls.VersionTLS12, []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA}
		}), "https://" + tlsAddr + "/", 0, ""},
		{"h2c when asked", client(nil, "", protos("h2c"), nil), "http://" + h2c + "/", 2, ""},
		{"no h2c on a plain listener", client(nil, "", protos("h2c"), nil), "http://" + plain + "/", 0, ""},
		{"plain HTTP/1.1 as before", client(nil, "", nil, nil), "http://" + plain + "/", 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := tt.client.Get(tt.url)
			if tt.wantProto == 0 {
				if err == nil {
					resp.Body.Close()
					t.Fatalf("got HTTP/%d %d, want an error", resp.ProtoMajor, resp.StatusCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.ProtoMajor != tt.wantProto || resp.StatusCode != 200 || resp.Header.Get("X-Served-By") != "service" {
				t.Errorf("got HTTP/%d %d from %q, want HTTP/%d 200 from service", resp.ProtoMajor, resp.StatusCode,
					resp.Header.Get("X-Served-By"), tt.wantProto)
			}
			if tt.wantPeer != "" && (resp.TLS == nil || resp.TLS.PeerCertificates[0].Subject.CommonName != tt.wantPeer) {
				t.Errorf("peer certificate: got %+v, want %q", resp.TLS, tt.wantPeer)
			}
		})
	}
	t.Run("redirect to https", func(t *testing.T) {
		resp, err := client(nil, "", nil, nil).Post("http://"+redirect+"/cart?item=42", "text/plain", strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := "https://127.0.0.1:8443/cart?item=42"
		if resp.StatusCode != http.StatusPermanentRedirect || resp.Header.Get("Location") != want {
			t.Errorf("got %d to %q, want 308 to %q", resp.StatusCode, resp.Header.Get("Location"), want)
		}
	})
}

// A reload reads the certificate files again: connections already open go
// on with the certificate they have, new ones get the new certificate, and
// a bad one (expired) fails the reload and leaves the served one alone.
func TestCertificateReload(t *testing.T) {
	c := newTestCerts(t)
	crt, key, first := c.write(t, "site", certs.Leaf{Names: []string{"localhost"}})
	member := namedBackend(t, "service", 200)
	path := filepath.Join(c.dir, "proxy.yaml")
	tlsListener := fmt.Sprintf(`{addr: "127.0.0.1:0", tls: {certificates: [{cert: %q, key: %q}]}}`, crt, key)
	os.WriteFile(path, []byte(fmt.Sprintf(`listeners: [%s, %s] # two on one address as written
admin: {listen: "127.0.0.1:0"}
pools: {web: {members: [{name: service, url: %q}]}}
`, tlsListener, tlsListener, member.URL)), 0o644)
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	addrs, adm, stop := startedAll(t, cfg, func() (*config.Config, error) { return config.Load(path) }, &logs)
	defer stop()
	url := "https://" + addrs[0] + "/"
	kept := client(c.roots, "localhost", protos("http2"), nil)
	if serial := peerSerial(t, kept, url); serial != first.SerialNumber.String() {
		t.Fatalf("before: got serial %s, want %s", serial, first.SerialNumber)
	}

	_, _, second := c.write(t, "site", certs.Leaf{Names: []string{"localhost"}})
	if code, body := postReload(t, adm); code != 200 {
		t.Fatalf("reload: got %d %s, want 200", code, body)
	}
	if serial := peerSerial(t, kept, url); serial != first.SerialNumber.String() {
		t.Errorf("open connection after reload: got serial %s, want the first %s (connection kept)", serial, first.SerialNumber)
	}
	for _, a := range addrs {
		if serial := peerSerial(t, client(c.roots, "localhost", protos("http2"), nil), "https://"+a+"/"); serial != second.SerialNumber.String() {
			t.Errorf("new connection to %s after reload: got serial %s, want the second %s", a, serial, second.SerialNumber)
		}
	}

	now := time.Now()
	c.write(t, "site", certs.Leaf{Names: []string{"localhost"}, NotBefore: now.Add(-2 * time.Hour), NotAfter: now.Add(-time.Hour)})
	if code, body := postReload(t, adm); code == 200 || !strings.Contains(body, crt+": certificate expired at") {
		t.Errorf("reload with an expired certificate: got %d %s, want a failure naming it", code, body)
	}
	if serial := peerSerial(t, client(c.roots, "localhost", protos("http2"), nil), url); serial != second.SerialNumber.String() {
		t.Errorf("after the failed reload: got serial %s, want the second %s still", serial, second.SerialNumber)
	}
}

func peerSerial(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.ProtoMajor != 2 {
		t.Fatalf("got HTTP/%d %d, want HTTP/2 200", resp.ProtoMajor, resp.StatusCode)
	}
	return resp.TLS.PeerCertificates[0].SerialNumber.String()
}

func postReload(t *testing.T, adm string) (int, string) {
	t.Helper()
	resp, err := http.Post("http://"+adm+"/reload", "application/json", nil) // a non-simple request, as the admin requires
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestCheckCertificates(t *testing.T) {
	c := newTestCerts(t)
	now := time.Now()
	crt, key, _ := c.write(t, "good", certs.Leaf{Names: []string{"localhost"}})
	oldCrt, oldKey, _ := c.write(t, "old", certs.Leaf{Names: []string{"localhost"}, NotBefore: now.Add(-48 * time.Hour), NotAfter: now.Add(-24 * time.Hour)})
	file := func(crt, key string) string {
		return writeFile(t, fmt.Sprintf("listeners:\n  - addr: 127.0.0.1:8443\n    tls: {certificates: [{cert: %q, key: %q}]}\npools: {web: {members: [{url: \"http://127.0.0.1:9001\"}]}}\n", crt, key))
	}
	tests := []struct {
		name string
		file string
		code int
		want string
	}{
		{"good", file(crt, key), 0, ": ok"},
		{"missing", file(filepath.Join(c.dir, "nope.crt"), key), 1, ":3:26: listeners[0].tls.certificates[0]: " + filepath.Join(c.dir, "nope.crt") + ": no such file or directory"},
		{"expired", file(oldCrt, oldKey), 1, ":3:26: listeners[0].tls.certificates[0]: " + oldCrt + ": certificate expired at "},
		{"mismatched", file(crt, oldKey), 1, ": tls: private key does not match public key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			code := run([]string{"-check", tt.file}, &out, &out)
			if code != tt.code || !strings.Contains(out.String(), tt.want) {
				t.Errorf("got code %d, %q, want code %d with %q", code, out.String(), tt.code, tt.want)
			}
		})
	}
}

func TestRedirectHTTPS(t *testing.T) {
	tests := []struct {
		name, port, host, target string
		wantCode                 int
		wantLocation             string
	}{
		{"other port", "8443", "example.test:8080", "/a?b=1", 308, "https://example.test:8443/a?b=1"},
		{"443 drops the port", "443", "example.test", "/", 308, "https://example.test/"},
		{"IPv6 on 443", "443", "[::1]:80", "/x", 308, "https://[::1]/x"},
		{"IPv6 on another port", "8443", "[::1]:80", "/x", 308, "https://[::1]:8443/x"},
		{"no host", "443", "", "/", 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", tt.target, nil)
			req.Host = tt.host
			rec := httptest.NewRecorder()
			redirectHTTPS(tt.port).ServeHTTP(rec, req)
			if rec.Code != tt.wantCode || rec.Header().Get("Location") != tt.wantLocation {
				t.Errorf("got %d to %q, want %d to %q", rec.Code, rec.Header().Get("Location"), tt.wantCode, tt.wantLocation)
			}
		})
	}
}
