package faults

import "context"

// Down disables the link: connections are refused, open ones dropped.
// Clearing enables it again on the same address.
//
//	proxy ─▶ ✗ link   node
type Down struct{}

func init() {
	Register(Kind{Family: FamilyNetwork, Name: "down", Doc: "take the link down: connections refused, open ones dropped",
		New: func() Settings { return &Down{} }, Space: Space{Needs: NeedsLink, Breaks: true}})
}

func (Down) Check() *Problem  { return nil }
func (Down) Describe() string { return "down" }

func (Down) Apply(ctx context.Context, t Target) (Undo, error) {
	l, err := link(t)
	if err != nil {
		return nil, err
	}
	if err := l.SetEnabled(ctx, false); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error { return l.SetEnabled(ctx, true) }, nil
}
