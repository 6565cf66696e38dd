package faults

import "context"

// down disables the link: connections are refused, open ones dropped.
// Clearing enables it again on the same address.
//
//	proxy ─▶ ✗ link   node
type down struct{}

func init() { registerNetwork(down{}) }

func (down) Name() string           { return "down" }
func (down) Describe(Params) string { return "down" }
func (down) Check(Params) *Problem  { return nil }

func (down) Apply(ctx context.Context, t Target, _ Params) (Undo, error) {
	l, err := link(t)
	if err != nil {
		return nil, err
	}
	if err := l.SetEnabled(ctx, false); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error { return l.SetEnabled(ctx, true) }, nil
}

// Space: what `lab explore` draws.
func (down) Space() Space {
	return Space{Family: "network", Fixed: map[string]string{"toxic": "down"}, Needs: NeedsLink, Breaks: true}
}
