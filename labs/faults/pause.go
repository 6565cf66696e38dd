package faults

import "context"

// Pause freezes the node (cgroup freezer, or SIGSTOP): it accepts
// connections and never answers. Clearing unpauses it.
//
//	proxy ─▶ link ─▶ ❄ node (frozen)
type Pause struct{}

func init() {
	Register(Kind{Family: FamilyContainer, Name: "pause", Doc: "freeze the node: it accepts connections and never answers; clearing unpauses it",
		New: func() Settings { return &Pause{} }, Space: Space{Breaks: true}})
}

func (Pause) InForceOnReturn() {}
func (Pause) Check() *Problem  { return nil }
func (Pause) Describe() string { return "pause" }

func (Pause) Apply(ctx context.Context, t Target) (Undo, error) {
	c, err := container(t)
	if err != nil {
		return nil, err
	}
	if err := c.Pause(ctx); err != nil {
		return nil, err
	}
	return c.Unpause, nil
}
