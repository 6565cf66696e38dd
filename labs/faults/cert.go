package faults

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// CertSwap swaps the certificate of a node that serves HTTPS for a bad one
// (Target.Cert): the node reloads it and closes its open connections, as a
// server reloading its certificate does; a certificate is checked only at
// the handshake, and the proxy's keep-alive connections would otherwise
// carry on under the old one. New connections are never refused meanwhile,
// so what the proxy meets is the certificate. Clearing puts the good one
// back the same way.
//
//	proxy ─▶ link ─▶ node (reloaded, open connections closed): expired / unknown-ca / wrong-name certificate
type CertSwap struct {
	Cert CertKind `yaml:"cert" doc:"expired, unknown-ca (signed by a CA the proxy does not trust) or wrong-name (for another host)."`
}

// CertKind names a bad certificate, one of CertKinds.
type CertKind string

// CertKinds are the bad certificates a node can be made to serve: past
// its validity, signed by a CA the proxy does not trust, or for another
// host name.
var CertKinds = []string{"expired", "unknown-ca", "wrong-name"}

// Enum lists the bad certificates, for the scenario schema.
func (CertKind) Enum() []string { return CertKinds }

// Cert is the certificate a node serves over HTTPS.
type Cert interface {
	// Serve makes the node serve a certificate of kind (one of CertKinds),
	// or its good one for "", and close its open connections.
	Serve(ctx context.Context, kind string) error
}

func init() {
	Register(Kind{Family: FamilyTLS, Name: "cert", Doc: "serve a bad certificate (expired, signed by a CA nobody trusts, or for another host); clearing serves the good one",
		New: func() Settings { return &CertSwap{} },
		Space: Space{Needs: NeedsHTTPS, Breaks: true,
			Params: []Param{{Key: "cert", Type: Choice, Choices: CertKinds}}}})
}

func (c CertSwap) Check() *Problem {
	if !slices.Contains(CertKinds, string(c.Cert)) {
		return problem("cert", "must be one of %s (got %q)", strings.Join(CertKinds, ", "), c.Cert)
	}
	return nil
}

func (c CertSwap) Describe() string { return "cert " + string(c.Cert) }

func (c CertSwap) Apply(ctx context.Context, t Target) (Undo, error) {
	if t.Cert == nil {
		return nil, fmt.Errorf("%w: node %s serves no HTTPS (https: true) under this driver", ErrUnsupported, t.Node)
	}
	if err := t.Cert.Serve(ctx, string(c.Cert)); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error { return t.Cert.Serve(ctx, "") }, nil
}
