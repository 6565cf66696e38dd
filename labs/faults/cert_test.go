package faults

import (
	"context"
	"errors"
	"slices"
	"testing"
)

// fakeCert records what the cert fault asked of the node.
type fakeCert struct{ calls *[]string }

func (c fakeCert) Serve(_ context.Context, kind string) error {
	*c.calls = append(*c.calls, "serve "+kind)
	return nil
}

// Applying serves the bad certificate; clearing serves the good one.
func TestCertSwap(t *testing.T) {
	if p := (CertSwap{Cert: "stale"}).Check(); p == nil || p.Field != "cert" {
		t.Errorf("Check(stale): got %v, want a cert problem", p)
	}
	var calls []string
	undo, err := CertSwap{Cert: "expired"}.Apply(t.Context(), Target{Node: "service", Cert: fakeCert{&calls}})
	if err != nil {
		t.Fatal(err)
	}
	if err := undo(t.Context()); err != nil {
		t.Fatal(err)
	}
	if want := []string{"serve expired", "serve "}; !slices.Equal(calls, want) {
		t.Errorf("got %v, want %v", calls, want)
	}
}

func TestCertSwapNeedsHTTPSNode(t *testing.T) {
	_, err := CertSwap{Cert: "expired"}.Apply(t.Context(), Target{Node: "failover"})
	if !errors.Is(err, ErrUnsupported) {
		t.Errorf("got %v, want ErrUnsupported", err)
	}
}
