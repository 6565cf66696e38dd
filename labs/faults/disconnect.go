package faults

import "context"

// Disconnect takes the node off the proxy's network (Docker: it leaves the
// run's network; a process has no network of its own, so its Toxiproxy link
// goes down). Clearing puts it back and waits until it answers.
//
//	proxy ─▶ link ─╳─ node
type Disconnect struct{}

func init() {
	Register(Kind{Family: FamilyContainer, Name: "disconnect", Doc: "take the node off the proxy's network; clearing puts it back",
		New: func() Settings { return &Disconnect{} }, Space: Space{Breaks: true}})
}

func (Disconnect) InForceOnReturn() {}
func (Disconnect) Check() *Problem  { return nil }
func (Disconnect) Describe() string { return "disconnect" }

func (Disconnect) Apply(ctx context.Context, t Target) (Undo, error) {
	c, err := container(t)
	if err != nil {
		return nil, err
	}
	if err := c.Disconnect(ctx); err != nil {
		return nil, err
	}
	return c.Reconnect, nil
}
