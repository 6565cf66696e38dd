package labs

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"testing"
)

// Each bad certificate fails the check the proxy makes of a member at
// https://127.0.0.1:PORT for its own reason; the good one passes.
func TestRunTLSCertKinds(t *testing.T) {
	run, err := NewRunTLS(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	roots := run.ClientConfig().RootCAs
	tests := []struct {
		kind  string
		check func(error) bool
	}{
		{"", func(err error) bool { return err == nil }},
		{"expired", func(err error) bool {
			var e x509.CertificateInvalidError
			return errors.As(err, &e) && e.Reason == x509.Expired
		}},
		{"unknown-ca", func(err error) bool { return errors.As(err, new(x509.UnknownAuthorityError)) }},
		{"wrong-name", func(err error) bool { return errors.As(err, new(x509.HostnameError)) }},
	}
	for _, tt := range tests {
		t.Run("kind "+tt.kind, func(t *testing.T) {
			crt, key, err := run.write("service", tt.kind)
			if err != nil {
				t.Fatal(err)
			}
			pair, err := tls.LoadX509KeyPair(crt, key)
			if err != nil {
				t.Fatal(err)
			}
			_, err = pair.Leaf.Verify(x509.VerifyOptions{Roots: roots, DNSName: "127.0.0.1"})
			if !tt.check(err) {
				t.Errorf("verify: got %v, want the %q kind's failure", err, tt.kind)
			}
		})
	}
	if err := run.Cert("service", func() error { return nil }).Serve(t.Context(), "stale"); err == nil {
		t.Error("Serve(stale): got nil, want an error")
	}
}
