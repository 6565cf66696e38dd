package faults

import (
	"context"
	"errors"
	"slices"
	"testing"
)

// fakeCert and fakeLink record what the cert fault did, in one order.
type fakeCert struct{ calls *[]string }

func (c fakeCert) Serve(_ context.Context, kind string) error {
	*c.calls = append(*c.calls, "serve "+kind)
	return nil
}

type fakeLink struct{ calls *[]string }

func (l fakeLink) AddToxic(context.Context, string, string, map[string]any) (string, error) {
	return "", nil
}
func (l fakeLink) RemoveToxic(context.Context, string) error { return nil }
func (l fakeLink) SetEnabled(_ context.Context, on bool) error {
	*l.calls = append(*l.calls, map[bool]string{true: "link up", false: "link down"}[on])
	return nil
}

// The swap comes before the open connections are dropped, so no new
// connection can meet the old certificate; clearing serves the good one.
func TestCertSwap(t *testing.T) {
	if p := CertSwap.Check(Params{Cert: "stale"}); p == nil || p.Field != "cert" {
		t.Errorf("Check(stale): got %v, want a cert problem", p)
	}
	var calls []string
	target := Target{Node: "service", Cert: fakeCert{&calls}, Link: fakeLink{&calls}}
	undo, err := CertSwap.Apply(t.Context(), target, Params{Cert: "expired"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"serve expired", "link down", "link up"}; !slices.Equal(calls, want) {
		t.Errorf("apply: got %v, want %v", calls, want)
	}
	if err := undo(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := calls[len(calls)-1]; got != "serve " {
		t.Errorf("clear: got %q, want the good certificate served", got)
	}
}

func TestCertSwapNeedsHTTPSNode(t *testing.T) {
	_, err := CertSwap.Apply(t.Context(), Target{Node: "failover"}, Params{Cert: "expired"})
	if !errors.Is(err, ErrUnsupported) {
		t.Errorf("got %v, want ErrUnsupported", err)
	}
}
