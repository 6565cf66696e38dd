package config

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strings"
	"time"
)

// Listener is a traffic listener with options. The plain addresses of
// Config.Listen stay as they were: each is a Listener with only Addr.
type Listener struct {
	// Addr is host:port. Required.
	Addr string `yaml:"addr"`
	// TLS terminates TLS on this listener. Default: none (plain HTTP).
	TLS *ListenerTLS `yaml:"tls"`
	// Protocols the listener speaks: "http1"; "http2" (TLS only, chosen by
	// ALPN); "h2c" (cleartext HTTP/2 with prior knowledge, plain only).
	// Default [http1, http2] with TLS, [http1] without.
	Protocols []string `yaml:"protocols"`
	// RedirectHTTPS, on a plain listener, answers every request with a 308
	// to the same host and path over https on this port ("443", "8443")
	// instead of proxying it. Default "" (proxy).
	RedirectHTTPS string `yaml:"redirect_https"`
}

// ListenerTLS is the server side of a TLS listener.
type ListenerTLS struct {
	// Certificates are PEM files. A client's SNI picks the first whose
	// names match; the first is the fallback. At least one. They are read
	// again on every reload.
	Certificates []CertFiles `yaml:"certificates"`
	// MinVersion is "1.2" or "1.3". Default "1.2".
	MinVersion string `yaml:"min_version"`
	// Ciphers are the TLS 1.2 cipher suites by name, ECDHE with AES-GCM or
	// ChaCha20-Poly1305 only (TLS 1.3's suites are not configurable).
	// Default: all of those.
	Ciphers []string `yaml:"ciphers"`
}

// CertFiles is a certificate chain and its private key, PEM files.
type CertFiles struct {
	// Cert is the certificate chain, leaf first. Required.
	Cert string `yaml:"cert"`
	// Key is the private key of the leaf. Required.
	Key string `yaml:"key"`
}

// UpstreamTLS is how a pool's https members are reached and verified; it
// applies to its active checks too.
type UpstreamTLS struct {
	// CA is a PEM bundle of the authorities that sign member certificates.
	// Default "" (the system's roots).
	CA string `yaml:"ca"`
	// ServerName is sent as SNI and verified in member certificates.
	// Default "" (each member's URL host).
	ServerName string `yaml:"server_name"`
	// Cert and Key are a client certificate for members that ask for one.
	// Default none; both or neither.
	Cert string `yaml:"cert"`
	Key  string `yaml:"key"`
}

// Listener protocols.
const (
	ProtoHTTP1 = "http1"
	ProtoHTTP2 = "http2"
	ProtoH2C   = "h2c"
)

// Names of the TLS versions accepted as min_version.
var tlsVersions = map[string]uint16{"1.2": tls.VersionTLS12, "1.3": tls.VersionTLS13}

// TrafficListeners returns every traffic listener: the plain addresses of
// Listen first, then Listeners.
func (c *Config) TrafficListeners() []Listener {
	out := make([]Listener, 0, len(c.Listen)+len(c.Listeners))
	for _, a := range c.Listen {
		out = append(out, Listener{Addr: a})
	}
	return append(out, c.Listeners...)
}

// Protos returns the listener's protocols with the default applied.
func (l Listener) Protos() []string {
	switch {
	case len(l.Protocols) > 0:
		return l.Protocols
	case l.TLS != nil:
		return []string{ProtoHTTP1, ProtoHTTP2}
	}
	return []string{ProtoHTTP1}
}

// Version is the minimum TLS version, default TLS 1.2.
func (t *ListenerTLS) Version() uint16 {
	if v, ok := tlsVersions[t.MinVersion]; ok {
		return v
	}
	return tls.VersionTLS12
}

// Suites returns the configured TLS 1.2 cipher suites, or the safe default.
func (t *ListenerTLS) Suites() []uint16 {
	var out []uint16
	for _, s := range tls.CipherSuites() {
		if safeSuite(s) && (len(t.Ciphers) == 0 || slices.Contains(t.Ciphers, s.Name)) {
			out = append(out, s.ID)
		}
	}
	return out
}

// safeSuite: forward secrecy and an AEAD, as HTTP/2 requires (RFC 9113
// §9.2.2).
func safeSuite(s *tls.CipherSuite) bool {
	return strings.HasPrefix(s.Name, "TLS_ECDHE_") && slices.Contains(s.SupportedVersions, tls.VersionTLS12) &&
		(strings.Contains(s.Name, "_GCM_") || strings.Contains(s.Name, "CHACHA20"))
}

func (c *Config) validateListeners(p *problems) {
	seen := map[string]string{}
	for i, a := range c.Listen {
		seen[a] = fmt.Sprintf("listen[%d]", i)
	}
	now := time.Now()
	for i, l := range c.Listeners {
		path := fmt.Sprintf("listeners[%d]", i)
		if err := checkAddr(l.Addr); err != nil {
			p.add(ErrInvalid, path+".addr", "%v", err)
		} else if prev, dup := seen[l.Addr]; dup && !strings.HasSuffix(l.Addr, ":0") {
			p.add(ErrInvalid, path+".addr", "%s is already %s", l.Addr, prev)
		}
		seen[l.Addr] = path
		l.validateProtocols(p, path)
		if l.RedirectHTTPS != "" {
			if l.TLS != nil {
				p.add(ErrInvalid, path+".redirect_https", "only on a plain listener (this one has tls)")
			}
			if err := checkAddr(net.JoinHostPort("h", l.RedirectHTTPS)); err != nil || l.RedirectHTTPS == "0" {
				p.add(ErrInvalid, path+".redirect_https", "want a port like \"443\" (got %q)", l.RedirectHTTPS)
			}
		}
		if l.TLS != nil {
			l.TLS.validate(p, path+".tls", now)
		}
	}
}

func (l Listener) validateProtocols(p *problems, path string) {
	for j, pr := range l.Protocols {
		pp := fmt.Sprintf("%s.protocols[%d]", path, j)
		switch {
		case pr != ProtoHTTP1 && pr != ProtoHTTP2 && pr != ProtoH2C:
			p.add(ErrInvalid, pp, "must be http1, http2 or h2c (got %q)", pr)
		case pr == ProtoHTTP2 && l.TLS == nil:
			p.add(ErrInvalid, pp, "http2 needs tls on the listener (cleartext HTTP/2 is h2c)")
		case pr == ProtoH2C && l.TLS != nil:
			p.add(ErrInvalid, pp, "h2c is cleartext: not on a tls listener (use http2)")
		}
	}
}

func (t *ListenerTLS) validate(p *problems, path string, now time.Time) {
	if len(t.Certificates) == 0 {
		p.add(ErrRequired, path+".certificates", "at least one certificate is required")
	}
	for i, cf := range t.Certificates {
		cp := fmt.Sprintf("%s.certificates[%d]", path, i)
		if cf.Cert == "" || cf.Key == "" {
			p.add(ErrRequired, cp, "cert and key files are both required")
			continue
		}
		if _, err := LoadCertificate(cf, now); err != nil {
			p.add(ErrInvalid, cp, "%v", err)
		}
	}
	if _, ok := tlsVersions[t.MinVersion]; !ok && t.MinVersion != "" {
		p.add(ErrInvalid, path+".min_version", "must be 1.2 or 1.3 (got %q)", t.MinVersion)
	}
	for i, name := range t.Ciphers {
		if !knownSafeSuite(name) {
			p.add(ErrInvalid, fmt.Sprintf("%s.ciphers[%d]", path, i), "not a safe TLS 1.2 suite (got %q; want one of %s)",
				name, strings.Join(safeSuiteNames(), ", "))
		}
	}
}

func knownSafeSuite(name string) bool { return slices.Contains(safeSuiteNames(), name) }

func safeSuiteNames() []string {
	var out []string
	for _, s := range tls.CipherSuites() {
		if safeSuite(s) {
			out = append(out, s.Name)
		}
	}
	return out
}

// LoadCertificate reads a certificate and its key and checks that they
// match and that the leaf is valid at now.
func LoadCertificate(cf CertFiles, now time.Time) (tls.Certificate, error) {
	c, err := tls.LoadX509KeyPair(cf.Cert, cf.Key)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return c, fmt.Errorf("%s: %w", pe.Path, pe.Err)
		}
		return c, fmt.Errorf("%s with %s: %w", cf.Cert, cf.Key, err)
	}
	switch leaf := c.Leaf; {
	case now.After(leaf.NotAfter):
		return c, fmt.Errorf("%s: certificate expired at %s", cf.Cert, leaf.NotAfter.UTC().Format(time.RFC3339))
	case now.Before(leaf.NotBefore):
		return c, fmt.Errorf("%s: certificate not valid before %s", cf.Cert, leaf.NotBefore.UTC().Format(time.RFC3339))
	}
	return c, nil
}

func (u *UpstreamTLS) validate(p *problems, path string) {
	if u == nil {
		return
	}
	if u.CA != "" {
		if _, err := LoadCAs(u.CA); err != nil {
			p.add(ErrInvalid, path+".ca", "%v", err)
		}
	}
	switch {
	case (u.Cert == "") != (u.Key == ""):
		p.add(ErrRequired, path, "cert and key: both or neither")
	case u.Cert != "":
		if _, err := LoadCertificate(CertFiles{u.Cert, u.Key}, time.Now()); err != nil {
			p.add(ErrInvalid, path+".cert", "%v", err)
		}
	}
	if strings.ContainsAny(u.ServerName, " /:") {
		p.add(ErrInvalid, path+".server_name", "want a host name (got %q)", u.ServerName)
	}
}

// LoadCAs reads a PEM bundle of certificate authorities.
func LoadCAs(file string) (*x509.CertPool, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s: %w", pe.Path, pe.Err)
		}
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("%s: no PEM certificate in it", file)
	}
	return pool, nil
}
