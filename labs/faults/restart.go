package faults

import "context"

// restart stops the node and starts it at once; there is nothing to clear.
//
//	proxy ─▶ link ─▶ ↻ node
type restart struct{}

func init() { registerContainer(restart{}) }

func (restart) Name() string            { return "restart" }
func (restart) Check(p Params) *Problem { return noSignal("restart", p) }
func (restart) Describe(Params) string  { return "restart" }

func (restart) Apply(ctx context.Context, t Target, _ Params) (Undo, error) {
	c, err := container(t)
	if err != nil {
		return nil, err
	}
	if err := c.Restart(ctx); err != nil {
		return nil, err
	}
	return nothingToUndo, nil
}

// Space: what `lab explore` draws.
func (restart) Space() Space {
	return Space{Family: "container", Fixed: map[string]string{"action": "restart"}, Breaks: true, Instant: true}
}
