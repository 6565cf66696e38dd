package faults

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// cert swaps the certificate of a node that serves HTTPS for a bad one
// (Target.Cert), then drops the link's open connections, as a server
// restarting on a new certificate would: a certificate is checked only at
// the handshake, and the proxy's keep-alive connections would otherwise
// carry on under the old one. Clearing puts the good certificate back; the
// node serves it from its next handshake.
//
//	proxy ─▶ link (open connections dropped) ─▶ node: expired / unknown-ca / wrong-name certificate
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
	// or its good one for "", from its next handshake.
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
	l, err := link(t)
	if err != nil {
		return nil, err
	}
	if err := t.Cert.Serve(ctx, p.Cert); err != nil {
		return nil, err
	}
	undo := func(ctx context.Context) error { return t.Cert.Serve(ctx, "") }
	if err := l.SetEnabled(ctx, false); err != nil {
		return nil, fmt.Errorf("drop open connections: %w", err)
	}
	if err := l.SetEnabled(ctx, true); err != nil {
		return nil, fmt.Errorf("drop open connections: %w", err)
	}
	return undo, nil
}
