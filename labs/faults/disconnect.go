package faults

import "context"

// disconnect takes the node off the proxy's network (Docker: it leaves the
// run's network; a process has no network of its own, so its Toxiproxy link
// goes down). Clearing puts it back and waits until it answers.
//
//	proxy ─▶ link ─╳─ node
type disconnect struct{}

func init() { registerContainer(disconnect{}) }

func (disconnect) InForceOnReturn()        {}
func (disconnect) Name() string            { return "disconnect" }
func (disconnect) Check(p Params) *Problem { return noSignal("disconnect", p) }
func (disconnect) Describe(Params) string  { return "disconnect" }

func (disconnect) Apply(ctx context.Context, t Target, _ Params) (Undo, error) {
	c, err := container(t)
	if err != nil {
		return nil, err
	}
	if err := c.Disconnect(ctx); err != nil {
		return nil, err
	}
	return c.Reconnect, nil
}

// Space: what `lab explore` draws.
func (disconnect) Space() Space {
	return Space{Family: "container", Fixed: map[string]string{"action": "disconnect"}, Breaks: true}
}
