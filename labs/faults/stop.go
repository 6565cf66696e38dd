package faults

import "context"

// stop: SIGTERM, SIGKILL after a grace; the node is gone until cleared,
// which starts it again and waits until it answers.
//
//	proxy ─▶ link ─▶ ✗ node (exited)
type stop struct{}

func init() { registerContainer(stop{}) }

func (stop) Name() string            { return "stop" }
func (stop) Check(p Params) *Problem { return noSignal("stop", p) }
func (stop) Describe(Params) string  { return "stop" }

func (stop) Apply(ctx context.Context, t Target, _ Params) (Undo, error) {
	c, err := container(t)
	if err != nil {
		return nil, err
	}
	if err := c.Stop(ctx); err != nil {
		return nil, err
	}
	return c.StartAgain, nil
}

// Space: what `lab explore` draws.
func (stop) Space() Space {
	return Space{Family: "container", Fixed: map[string]string{"action": "stop"}, Breaks: true}
}
