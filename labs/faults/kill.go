package faults

import "context"

// Kill sends a signal (default SIGKILL) and, when it is lethal, returns
// once the node has exited. Clearing starts it again if it died.
//
//	proxy ─▶ link ─▶ ✗ node (signalled)
type Kill struct {
	Signal string `yaml:"signal,omitempty" doc:"The signal: SIGKILL, SIGTERM, ... (KILL and kill too). Default SIGKILL."`
}

func init() {
	Register(Kind{Family: FamilyContainer, Name: "kill", Doc: "send a signal (default SIGKILL); clearing starts the node again if it died",
		New:   func() Settings { return &Kill{} },
		Space: Space{Breaks: true, Params: []Param{{Key: "signal", Type: Choice, Choices: []string{"SIGKILL", "SIGTERM"}}}}})
}

func (Kill) InForceOnReturn()   {}
func (k Kill) Check() *Problem  { return checkSignal(k.Signal) }
func (k Kill) Describe() string { name, _, _ := ParseSignal(k.Signal); return "kill " + name }

func (k Kill) Apply(ctx context.Context, t Target) (Undo, error) {
	c, err := container(t)
	if err != nil {
		return nil, err
	}
	_, sig, err := ParseSignal(k.Signal)
	if err != nil {
		return nil, err
	}
	if err := c.Signal(ctx, sig); err != nil {
		return nil, err
	}
	return c.StartAgain, nil
}
