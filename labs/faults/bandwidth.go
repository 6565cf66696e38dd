package faults

import "context"

// bandwidth limits the answers to rate KB/s.
//
//	proxy ─▶ link ─[rate KB/s]─▶ node
type bandwidth struct{}

func init() { registerNetwork(bandwidth{}) }

func (bandwidth) Name() string           { return "bandwidth" }
func (bandwidth) Describe(Params) string { return "bandwidth" }

func (bandwidth) Check(p Params) *Problem {
	if p.Rate <= 0 {
		return problem("rate", "must be > 0 KB/s (got %d)", p.Rate)
	}
	return nil
}

func (bandwidth) Apply(ctx context.Context, t Target, p Params) (Undo, error) {
	return addToxic(ctx, t, "bandwidth", downstream, map[string]any{"rate": p.Rate})
}

// Space: what `lab explore` draws.
func (bandwidth) Space() Space {
	return Space{Family: "network", Fixed: map[string]string{"toxic": "bandwidth"}, Needs: NeedsLink,
		Params: []Param{{Key: "rate", Type: Int, Min: 1, Max: 1000}}}
}
