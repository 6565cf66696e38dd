package faults

import (
	"context"
	"fmt"
)

// Bandwidth limits the answers to rate KB/s.
//
//	proxy ─▶ link ─[rate KB/s]─▶ node
type Bandwidth struct {
	Rate int64 `yaml:"rate,omitempty" doc:"Bandwidth limit of the answers in KB/s (required, > 0)."`
}

func init() {
	Register(Kind{Family: FamilyNetwork, Name: "bandwidth", Doc: "limit the answers to rate KB/s",
		New:   func() Settings { return &Bandwidth{} },
		Space: Space{Needs: NeedsLink, Params: []Param{{Key: "rate", Type: Int, Min: 1, Max: 1000}}}})
}

func (b Bandwidth) Check() *Problem {
	if b.Rate <= 0 {
		return problem("rate", "must be > 0 KB/s (got %d)", b.Rate)
	}
	return nil
}

func (b Bandwidth) Describe() string { return fmt.Sprintf("bandwidth %d KB/s", b.Rate) }

func (b Bandwidth) Apply(ctx context.Context, t Target) (Undo, error) {
	return addToxic(ctx, t, "bandwidth", downstream, map[string]any{"rate": b.Rate})
}
