package faults

import (
	"context"
	"time"
)

// Timeout swallows the requests and closes the connection after timeout
// (0 = it hangs). It acts on requests (upstream): on answers, a member
// closing its side (Connection: close) would still end the exchange at
// once; on requests the member never sees them and the link hangs.
//
//	proxy ─▶ link ─[⌛ requests]  node
type Timeout struct {
	Timeout time.Duration `yaml:"timeout,omitempty" doc:"Close the connection after this. Default 0: never (it hangs)."`
}

func init() {
	Register(Kind{Family: FamilyNetwork, Name: "timeout", Doc: "swallow the requests and close the connection after timeout (0 = it hangs)",
		New:   func() Settings { return &Timeout{} },
		Space: Space{Needs: NeedsLink, Breaks: true, Params: []Param{{Key: "timeout", Type: Duration, Min: 0, Max: 5000, Step: 100}}}})
}

func (o Timeout) Check() *Problem { return notNegative("timeout", o.Timeout) }

func (o Timeout) Describe() string { return "timeout" + after(o.Timeout) }

func (o Timeout) Apply(ctx context.Context, t Target) (Undo, error) {
	return addToxic(ctx, t, "timeout", upstream, map[string]any{"timeout": ms(o.Timeout)})
}
