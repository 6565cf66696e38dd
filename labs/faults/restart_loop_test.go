package faults

import (
	"context"
	"slices"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

// fakeContainer records what a fault did to it.
type fakeContainer struct {
	mu    sync.Mutex
	calls []string
	up    bool
}

func (f *fakeContainer) record(call string, up bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
	f.up = up
	return nil
}

func (f *fakeContainer) Stop(context.Context) error { return f.record("stop", false) }
func (f *fakeContainer) Signal(_ context.Context, sig syscall.Signal) error {
	return f.record("signal "+sig.String(), false)
}
func (f *fakeContainer) Pause(context.Context) error      { return f.record("pause", false) }
func (f *fakeContainer) Unpause(context.Context) error    { return f.record("unpause", true) }
func (f *fakeContainer) Restart(context.Context) error    { return f.record("restart", true) }
func (f *fakeContainer) StartAgain(context.Context) error { return f.record("start", true) }
func (f *fakeContainer) Disconnect(context.Context) error { return f.record("disconnect", false) }
func (f *fakeContainer) Reconnect(context.Context) error  { return f.record("reconnect", true) }

func (f *fakeContainer) snapshot() ([]string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls), f.up
}

func TestRestartLoop(t *testing.T) {
	if _, ok := Find(FamilyContainer, "restart-loop"); !ok {
		t.Fatal("restart-loop is not registered")
	}
	if p := (RestartLoop{Signal: "SIGFOO"}).Check(); p == nil || p.Field != "signal" {
		t.Errorf("Check(SIGFOO): got %v, want a signal problem", p)
	}
	if got, want := (RestartLoop{Signal: "term"}).Describe(), "restart-loop SIGTERM"; got != want {
		t.Errorf("Describe: got %q, want %q", got, want)
	}
	synctest.Test(t, func(t *testing.T) {
		c := &fakeContainer{up: true}
		undo, err := RestartLoop{}.Apply(t.Context(), Target{Node: "service", Container: c})
		if err != nil {
			t.Fatal(err)
		}
		if calls, up := c.snapshot(); calls[0] != "signal killed" || (len(calls) == 1 && up) {
			t.Fatalf("after Apply: got %v (up %t), want a kill first", calls, up)
		}
		time.Sleep(2500 * time.Millisecond) // dies at 0, 1s and 2s, restarted each time
		synctest.Wait()
		calls, _ := c.snapshot()
		want := []string{"signal killed", "start", "signal killed", "start", "signal killed", "start"}
		if !slices.Equal(calls, want) {
			t.Errorf("after 2.5s: got %v, want %v", calls, want)
		}
		if err := undo(t.Context()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Second) // the loop is over: nothing more happens
		synctest.Wait()
		calls, up := c.snapshot()
		if !up || len(calls) != len(want)+1 || calls[len(calls)-1] != "start" {
			t.Errorf("after undo: got %v (up %t), want the loop ended with the node started", calls, up)
		}
	})
}

func TestRestartLoopNeedsAContainer(t *testing.T) {
	if _, err := (RestartLoop{}).Apply(t.Context(), Target{Node: "service"}); err == nil {
		t.Fatal("got no error, want ErrUnsupported without a container")
	}
}
