package faults

import "context"

// kill sends a signal (default SIGKILL) and, when it is lethal, returns
// once the node has exited. Clearing starts it again if it died.
//
//	proxy ─▶ link ─▶ ✗ node (signalled)
type kill struct{}

func init() { registerContainer(kill{}) }

func (kill) InForceOnReturn()        {}
func (kill) Name() string            { return "kill" }
func (kill) Check(p Params) *Problem { return checkSignal(p) }

func (kill) Describe(p Params) string {
	name, _, _ := ParseSignal(p.Signal)
	return "kill " + name
}

func (kill) Apply(ctx context.Context, t Target, p Params) (Undo, error) {
	c, err := container(t)
	if err != nil {
		return nil, err
	}
	_, sig, err := ParseSignal(p.Signal)
	if err != nil {
		return nil, err
	}
	if err := c.Signal(ctx, sig); err != nil {
		return nil, err
	}
	return c.StartAgain, nil
}

// Space: what `lab explore` draws.
func (kill) Space() Space {
	return Space{Family: "container", Fixed: map[string]string{"action": "kill"}, Breaks: true,
		Params: []Param{{Key: "signal", Type: Choice, Choices: []string{"SIGKILL", "SIGTERM"}}}}
}
