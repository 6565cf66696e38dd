package faults

import "context"

// resetPeer resets connections (TCP RST) after timeout, 0 = at once.
//
//	proxy ─▶ link ─[RST]─▶ node
type resetPeer struct{}

func init() { registerNetwork(resetPeer{}) }

func (resetPeer) Name() string           { return "reset_peer" }
func (resetPeer) Describe(Params) string { return "reset_peer" }
func (resetPeer) Check(Params) *Problem  { return nil }

func (resetPeer) Apply(ctx context.Context, t Target, p Params) (Undo, error) {
	return addToxic(ctx, t, "reset_peer", downstream, map[string]any{"timeout": ms(p.Timeout)})
}

// Space: what `lab explore` draws.
func (resetPeer) Space() Space {
	return Space{Family: "network", Fixed: map[string]string{"toxic": "reset_peer"}, Needs: NeedsLink, Breaks: true,
		Params: []Param{{Key: "timeout", Type: Duration, Min: 0, Max: 2000, Step: 100}}}
}
