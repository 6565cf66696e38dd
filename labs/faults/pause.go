package faults

import "context"

// pause freezes the node (cgroup freezer, or SIGSTOP): it accepts
// connections and never answers. Clearing unpauses it.
//
//	proxy ─▶ link ─▶ ❄ node (frozen)
type pause struct{}

func init() { registerContainer(pause{}) }

func (pause) InForceOnReturn()        {}
func (pause) Name() string            { return "pause" }
func (pause) Check(p Params) *Problem { return noSignal("pause", p) }
func (pause) Describe(Params) string  { return "pause" }

func (pause) Apply(ctx context.Context, t Target, _ Params) (Undo, error) {
	c, err := container(t)
	if err != nil {
		return nil, err
	}
	if err := c.Pause(ctx); err != nil {
		return nil, err
	}
	return c.Unpause, nil
}

// Space: what `lab explore` draws.
func (pause) Space() Space {
	return Space{Family: "container", Fixed: map[string]string{"action": "pause"}, Breaks: true}
}
