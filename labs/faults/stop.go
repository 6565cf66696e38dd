package faults

import "context"

// Stop: SIGTERM, SIGKILL after a grace; the node is gone until cleared,
// which starts it again and waits until it answers.
//
//	proxy ─▶ link ─▶ ✗ node (exited)
type Stop struct{}

func init() {
	Register(Kind{Family: FamilyContainer, Name: "stop", Doc: "SIGTERM, SIGKILL after a grace; clearing starts the node again",
		New: func() Settings { return &Stop{} }, Space: Space{Breaks: true}})
}

func (Stop) Check() *Problem  { return nil }
func (Stop) Describe() string { return "stop" }

func (Stop) Apply(ctx context.Context, t Target) (Undo, error) {
	c, err := container(t)
	if err != nil {
		return nil, err
	}
	if err := c.Stop(ctx); err != nil {
		return nil, err
	}
	return c.StartAgain, nil
}
