package faults

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// cert swaps the certificate of a node that serves HTTPS for a bad one
// (Target.Cert): the node reloads it and closes its open connections, as a
// server reloading its certificate does; a certificate is checked only at
// the handshake, and the proxy's keep-alive connections would otherwise
// carry on under the old one. New connections are never refused meanwhile,
// so what the proxy meets is the certificate. Clearing puts the good one
// back the same way.
//
//	proxy ─▶ link ─▶ node (reloaded, open connections closed): expired / unknown-ca / wrong-name certificate
type cert struct{}

// CertSwap is the tls fault's kind; the vocabulary's `tls: {cert: ...}`.
var CertSwap Kind = cert{}

// CertKinds are the bad certificates a node can be made to serve: past
// its validity, signed by a CA the proxy does not trust, or for another
// host name.
var CertKinds = []string{"expired", "unknown-ca", "wrong-name"}

// Cert is the certificate a node serves over HTTPS.
type Cert interface {
	// Serve makes the node serve a certificate of kind (one of CertKinds),
	// or its good one for "", and close its open connections.
	Serve(ctx context.Context, kind string) error
}

func (cert) Name() string             { return "cert" }
func (cert) Describe(p Params) string { return "cert " + p.Cert }

func (cert) Check(p Params) *Problem {
	if !slices.Contains(CertKinds, p.Cert) {
		return problem("cert", "must be one of %s (got %q)", strings.Join(CertKinds, ", "), p.Cert)
	}
	return nil
}

func (cert) Apply(ctx context.Context, t Target, p Params) (Undo, error) {
	if t.Cert == nil {
		return nil, fmt.Errorf("%w: node %s serves no HTTPS (https: true) under this driver", ErrUnsupported, t.Node)
	}
	if err := t.Cert.Serve(ctx, p.Cert); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error { return t.Cert.Serve(ctx, "") }, nil
}

func init() { registerSpace(cert{}) }

// Space: what `lab explore` draws.
func (cert) Space() Space {
	return Space{Family: "tls", Needs: NeedsHTTPS, Breaks: true,
		Params: []Param{{Key: "cert", Type: Choice, Choices: CertKinds}}}
}
