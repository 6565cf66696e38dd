package faults

import "context"

// Restart stops the node and starts it at once; there is nothing to clear.
//
//	proxy ─▶ link ─▶ ↻ node
type Restart struct{}

func init() {
	Register(Kind{Family: FamilyContainer, Name: "restart", Doc: "stop the node and start it at once; nothing to clear",
		New: func() Settings { return &Restart{} }, Space: Space{Breaks: true, Instant: true}})
}

func (Restart) Check() *Problem  { return nil }
func (Restart) Describe() string { return "restart" }

func (Restart) Apply(ctx context.Context, t Target) (Undo, error) {
	c, err := container(t)
	if err != nil {
		return nil, err
	}
	if err := c.Restart(ctx); err != nil {
		return nil, err
	}
	return nothingToUndo, nil
}
