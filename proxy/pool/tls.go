package pool

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// useTLS sets how t reaches https members: the pool's CA bundle, server
// name and client certificate (files read now, so a reload reads them
// again). The same transport sends the active checks.
func useTLS(t *http.Transport, c *config.UpstreamTLS) error {
	if c == nil {
		return nil
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: c.ServerName}
	if c.CA != "" {
		roots, err := config.LoadCAs(c.CA)
		if err != nil {
			return err
		}
		tc.RootCAs = roots
	}
	if c.Cert != "" {
		cert, err := config.LoadCertificate(config.CertFiles{Cert: c.Cert, Key: c.Key}, time.Now())
		if err != nil {
			return err
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	t.TLSClientConfig = tc
	return nil
}

// TLSCause names a failure to set up TLS with a member, for its
// why-timeline ("tls: certificate: x509: certificate has expired ..."),
// or returns "" when err is something else. It is the member's failure: a
// certificate that does not verify, a handshake it refused, or plain HTTP
// where https was configured.
func TLSCause(err error) string {
	var (
		cv  *tls.CertificateVerificationError
		ua  x509.UnknownAuthorityError
		ci  x509.CertificateInvalidError
		he  x509.HostnameError
		oe  *net.OpError
		rhe tls.RecordHeaderError
	)
	switch {
	case errors.As(err, &cv):
		return "tls: certificate: " + cv.Err.Error()
	case errors.As(err, &ua), errors.As(err, &ci), errors.As(err, &he):
		return "tls: certificate: " + err.Error()
	case errors.As(err, &oe) && oe.Op == "remote error": // an alert from the member, e.g. certificate required
		return "tls: handshake refused: " + oe.Err.Error()
	case errors.As(err, &rhe):
		return "tls: not a TLS server: " + rhe.Msg
	}
	return ""
}
