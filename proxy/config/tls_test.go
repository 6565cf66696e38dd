package config_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/fixtures/certs"
	"github.com/failover-lab/failover-lab/proxy/config"
)

// tlsFiles writes a CA, a valid, an expired and a not-yet-valid leaf, and
// returns their paths by name (name.crt, name.key).
func tlsFiles(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	ca, err := certs.NewCA("test CA")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	caFile, err := ca.WriteFile(dir, "ca")
	if err != nil {
		t.Fatal(err)
	}
	files["ca.crt"] = caFile
	now := time.Now()
	for name, l := range map[string]certs.Leaf{
		"good":    {Names: []string{"localhost"}},
		"other":   {Names: []string{"other.test"}},
		"expired": {Names: []string{"localhost"}, NotBefore: now.Add(-48 * time.Hour), NotAfter: now.Add(-time.Hour)},
		"future":  {Names: []string{"localhost"}, NotBefore: now.Add(time.Hour), NotAfter: now.Add(48 * time.Hour)},
	} {
		pair, err := ca.Issue(l)
		if err != nil {
			t.Fatal(err)
		}
		c, k, err := pair.WriteFiles(dir, name)
		if err != nil {
			t.Fatal(err)
		}
		files[name+".crt"], files[name+".key"] = c, k
	}
	files["missing.crt"] = filepath.Join(dir, "missing.crt")
	files["notpem"] = filepath.Join(dir, "notpem")
	os.WriteFile(files["notpem"], []byte("hello"), 0o644)
	return files
}

func TestTLSConfigErrors(t *testing.T) {
	f := tlsFiles(t)
	pool := "pools: {web: {members: [{url: \"https://127.0.0.1:9001\"}]%s}}\n"
	listener := func(extra string) string {
		return "listeners:\n  - addr: 127.0.0.1:8443\n" + extra + fmt.Sprintf(pool, "")
	}
	withCert := func(cert, key string) string {
		return listener(fmt.Sprintf("    tls: {certificates: [{cert: %q, key: %q}]}\n", cert, key))
	}
	tests := []struct {
		name, yaml string
		want       string // "" for no error
	}{
		{"good", withCert(f["good.crt"], f["good.key"]), ""},
		{"missing file", withCert(f["missing.crt"], f["good.key"]),
			"x.yaml:3:26: listeners[0].tls.certificates[0]: " + f["missing.crt"] + ": no such file or directory"},
		{"expired", withCert(f["expired.crt"], f["expired.key"]),
			"listeners[0].tls.certificates[0]: " + f["expired.crt"] + ": certificate expired at "},
		{"not yet valid", withCert(f["future.crt"], f["future.key"]),
			f["future.crt"] + ": certificate not valid before "},
		{"mismatched key", withCert(f["good.crt"], f["other.key"]),
			"listeners[0].tls.certificates[0]: " + f["good.crt"] + " with " + f["other.key"] + ": tls: private key does not match public key"},
		{"no certificates", listener("    tls: {certificates: []}\n"),
			"listeners[0].tls.certificates: at least one certificate is required"},
		{"old TLS", listener(fmt.Sprintf("    tls: {min_version: \"1.0\", certificates: [{cert: %q, key: %q}]}\n", f["good.crt"], f["good.key"])),
			`listeners[0].tls.min_version: must be 1.2 or 1.3 (got "1.0")`},
		{"weak cipher", listener(fmt.Sprintf("    tls: {ciphers: [TLS_RSA_WITH_AES_128_CBC_SHA], certificates: [{cert: %q, key: %q}]}\n", f["good.crt"], f["good.key"])),
			`listeners[0].tls.ciphers[0]: not a safe TLS 1.2 suite (got "TLS_RSA_WITH_AES_128_CBC_SHA"`},
		{"http2 without tls", listener("    protocols: [http1, http2]\n"),
			"listeners[0].protocols[1]: http2 needs tls on the listener"},
		{"h2c with tls", listener(fmt.Sprintf("    protocols: [h2c]\n    tls: {certificates: [{cert: %q, key: %q}]}\n", f["good.crt"], f["good.key"])),
			"listeners[0].protocols[0]: h2c is cleartext"},
		{"unknown protocol", listener("    protocols: [spdy]\n"), `listeners[0].protocols[0]: must be http1, http2 or h2c (got "spdy")`},
		{"redirect port", listener("    redirect_https: https\n"), `listeners[0].redirect_https: want a port like "443" (got "https")`},
		{"duplicate address", "listen: [127.0.0.1:8443]\n" + listener(""), "listeners[0].addr: 127.0.0.1:8443 is already listen[0]"},
		{"member CA missing", fmt.Sprintf(pool, fmt.Sprintf(", tls: {ca: %q}", f["missing.crt"])),
			"pools.web.tls.ca: " + f["missing.crt"] + ": no such file or directory"},
		{"member CA not PEM", fmt.Sprintf(pool, fmt.Sprintf(", tls: {ca: %q}", f["notpem"])),
			"pools.web.tls.ca: " + f["notpem"] + ": no PEM certificate in it"},
		{"client cert without key", fmt.Sprintf(pool, fmt.Sprintf(", tls: {cert: %q}", f["good.crt"])),
			"pools.web.tls: cert and key: both or neither"},
		{"client cert expired", fmt.Sprintf(pool, fmt.Sprintf(", tls: {cert: %q, key: %q}", f["expired.crt"], f["expired.key"])),
			"pools.web.tls.cert: " + f["expired.crt"] + ": certificate expired at "},
		{"member TLS good", fmt.Sprintf(pool, fmt.Sprintf(", tls: {ca: %q, server_name: localhost, cert: %q, key: %q}", f["ca.crt"], f["good.crt"], f["good.key"])), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse(strings.NewReader(tt.yaml), "x.yaml")
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("got %v, want no error", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("got %v, want an error with %q", err, tt.want)
			case tt.want != "" && !errors.Is(err, config.ErrInvalid) && !errors.Is(err, config.ErrRequired):
				t.Errorf("got %v, want it to wrap ErrInvalid or ErrRequired", err)
			}
		})
	}
}

func TestListenersAndDefaultListen(t *testing.T) {
	f := tlsFiles(t)
	members := "pools: {web: {members: [{url: \"http://127.0.0.1:9001\"}]}}\n"
	tls := fmt.Sprintf("listeners: [{addr: 127.0.0.1:8443, tls: {certificates: [{cert: %q, key: %q}]}}]\n", f["good.crt"], f["good.key"])
	tests := []struct {
		name, yaml string
		listen     []string
		protos     [][]string
	}{
		{"plain only (as before)", members, []string{config.DefaultListen}, [][]string{{"http1"}}},
		{"listeners only: no default plain listener", tls + members, nil, [][]string{{"http1", "http2"}}},
		{"both", "listen: [127.0.0.1:8080]\n" + tls + members, []string{"127.0.0.1:8080"}, [][]string{{"http1"}, {"http1", "http2"}}},
		{"h2c when asked", "listeners: [{addr: 127.0.0.1:8081, protocols: [http1, h2c]}]\n" + members, nil, [][]string{{"http1", "h2c"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Parse(strings.NewReader(tt.yaml), "x.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(cfg.Listen) != fmt.Sprint(tt.listen) {
				t.Errorf("listen: got %v, want %v", cfg.Listen, tt.listen)
			}
			var protos [][]string
			for _, l := range cfg.TrafficListeners() {
				protos = append(protos, l.Protos())
			}
			if fmt.Sprint(protos) != fmt.Sprint(tt.protos) {
				t.Errorf("protocols: got %v, want %v", protos, tt.protos)
			}
		})
	}
}

func TestSafeCipherDefault(t *testing.T) {
	got := (&config.ListenerTLS{}).Suites()
	if len(got) == 0 {
		t.Fatal("no default suites")
	}
	one := (&config.ListenerTLS{Ciphers: []string{"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"}}).Suites()
	if len(one) != 1 {
		t.Errorf("one named suite: got %v, want 1", one)
	}
}
