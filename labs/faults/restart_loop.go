package faults

import (
	"context"
	"syscall"
	"time"
)

// RestartLoop is a crash loop: the node dies (the signal, default
// SIGKILL), is started again at once, answers for a second, and dies
// again, as a supervisor restarting a service that keeps crashing would
// show it. Clearing ends the loop and returns once the node answers.
//
//	proxy ─▶ link ─▶ ✗ node ─▶ ↻ answers 1s ─▶ ✗ ─▶ ↻ answers 1s ─▶ ✗ ...
type RestartLoop struct {
	Signal string `yaml:"signal,omitempty" doc:"The signal each incarnation dies of, as for kill. Default SIGKILL."`
}

// restartLoopUp is how long each incarnation answers before it dies.
const restartLoopUp = time.Second

func init() {
	Register(Kind{Family: FamilyContainer, Name: "restart-loop", Doc: "a crash loop: killed, started again, answers 1 s, killed again ... until cleared",
		New:   func() Settings { return &RestartLoop{} },
		Space: Space{Breaks: true, Params: []Param{{Key: "signal", Type: Choice, Choices: []string{"SIGKILL", "SIGTERM"}}}}})
}

func (k RestartLoop) Check() *Problem { return checkSignal(k.Signal) }

func (k RestartLoop) Describe() string {
	name, _, _ := ParseSignal(k.Signal)
	return "restart-loop " + name
}

// Apply returns once the node has died the first time. The loop runs on
// its own goroutine until Undo, which waits for it: a restart under way
// finishes first, so the node answers when Undo returns.
func (k RestartLoop) Apply(ctx context.Context, t Target) (Undo, error) {
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
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- loop(context.WithoutCancel(ctx), c, sig, stop) }()
	return func(ctx context.Context) error {
		close(stop)
		if err := <-done; err != nil {
			return err
		}
		return c.StartAgain(ctx)
	}, nil
}

// loop starts the node, lets it answer for restartLoopUp, kills it, and
// again, until stop is closed; it always ends after a start.
func loop(ctx context.Context, c Container, sig syscall.Signal, stop <-chan struct{}) error {
	for {
		if err := c.StartAgain(ctx); err != nil {
			return err
		}
		t := time.NewTimer(restartLoopUp)
		select {
		case <-stop:
			t.Stop()
			return nil
		case <-t.C:
		}
		if err := c.Signal(ctx, sig); err != nil {
			return err
		}
	}
}
