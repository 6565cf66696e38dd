package faults

import "context"

// latency delays every answer by latency ± jitter.
//
//	proxy ─▶ link ─[+latency]─▶ node
type latency struct{}

func init() { registerNetwork(latency{}) }

func (latency) Name() string           { return "latency" }
func (latency) Describe(Params) string { return "latency" }

func (latency) Check(p Params) *Problem {
	if p.Latency <= 0 {
		return problem("latency", "must be > 0 (got %s)", p.Latency)
	}
	return nil
}

func (latency) Apply(ctx context.Context, t Target, p Params) (Undo, error) {
	return addToxic(ctx, t, "latency", downstream, map[string]any{"latency": ms(p.Latency), "jitter": ms(p.Jitter)})
}

// Space: what `lab explore` draws.
func (latency) Space() Space {
	return Space{Family: "network", Fixed: map[string]string{"toxic": "latency"}, Needs: NeedsLink, Params: []Param{
		{Key: "latency", Type: Duration, Min: 10, Max: 3000, Step: 10},
		{Key: "jitter", Type: Duration, Min: 0, Max: 500, Step: 10},
	}}
}
