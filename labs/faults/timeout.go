package faults

import "context"

// timeout swallows the requests and closes the connection after timeout
// (0 = it hangs). It acts on requests (upstream): on answers, a member
// closing its side (Connection: close) would still end the exchange at
// once; on requests the member never sees them and the link hangs.
//
//	proxy ─▶ link ─[⌛ requests]  node
type timeout struct{}

func init() { registerNetwork(timeout{}) }

func (timeout) Name() string           { return "timeout" }
func (timeout) Describe(Params) string { return "timeout" }
func (timeout) Check(Params) *Problem  { return nil }

func (timeout) Apply(ctx context.Context, t Target, p Params) (Undo, error) {
	return addToxic(ctx, t, "timeout", upstream, map[string]any{"timeout": ms(p.Timeout)})
}

// Space: what `lab explore` draws.
func (timeout) Space() Space {
	return Space{Family: "network", Fixed: map[string]string{"toxic": "timeout"}, Needs: NeedsLink, Breaks: true,
		Params: []Param{{Key: "timeout", Type: Duration, Min: 0, Max: 5000, Step: 100}}}
}
