package faults

import (
	"context"
	"syscall"
	"time"
)

// restartLoop is a crash loop: the node dies (the signal, default
// SIGKILL), is started again at once, answers for a second, and dies
// again, as a supervisor restarting a service that keeps crashing would
// show it. Clearing ends the loop and returns once the node answers.
//
//	proxy ─▶ link ─▶ ✗ node ─▶ ↻ answers 1s ─▶ ✗ ─▶ ↻ answers 1s ─▶ ✗ ...
type restartLoop struct {
	up time.Duration // how long each incarnation answers before it dies
}

func init() { registerContainer(restartLoop{up: time.Second}) }

func (restartLoop) Name() string            { return "restart-loop" }
func (restartLoop) Check(p Params) *Problem { return checkSignal(p) }

func (restartLoop) Describe(p Params) string {
	name, _, _ := ParseSignal(p.Signal)
	return "restart-loop " + name
}

// Apply returns once the node has died the first time. The loop runs on
// its own goroutine until Undo, which waits for it: a restart under way
// finishes first, so the node answers when Undo returns.
func (k restartLoop) Apply(ctx context.Context, t Target, p Params) (Undo, error) {
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
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- k.loop(context.WithoutCancel(ctx), c, sig, stop) }()
	return func(ctx context.Context) error {
		close(stop)
		if err := <-done; err != nil {
			return err
		}
		return c.StartAgain(ctx)
	}, nil
}

// loop starts the node, lets it answer for k.up, kills it, and again,
// until stop is closed; it always ends after a start.
func (k restartLoop) loop(ctx context.Context, c Container, sig syscall.Signal, stop <-chan struct{}) error {
	for {
		if err := c.StartAgain(ctx); err != nil {
			return err
		}
		t := time.NewTimer(k.up)
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

// Space: what `lab explore` draws.
func (restartLoop) Space() Space {
	return Space{Family: "container", Fixed: map[string]string{"action": "restart-loop"}, Breaks: true,
		Params: []Param{{Key: "signal", Type: Choice, Choices: []string{"SIGKILL", "SIGTERM"}}}}
}
