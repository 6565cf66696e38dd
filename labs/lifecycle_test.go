package labs

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/cleanup"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// fakeRun counts its Closes; the rest of Run is not used by Start.
type fakeRun struct {
	Run
	closes int
}

func (r *fakeRun) Close(context.Context) error { r.closes++; return nil }

func TestStartClosesWhatFailed(t *testing.T) {
	boom := errors.New("boom")
	ok := func(context.Context) error { return nil }
	fail := func(context.Context) error { return boom }
	tests := []struct {
		name       string
		steps      []func(context.Context) error
		wantErr    string
		wantCloses int
	}{
		{"every step passes", []func(context.Context) error{ok, ok}, "", 0},
		{"a step fails", []func(context.Context) error{ok, fail, ok}, "start t: boom", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &fakeRun{}
			got, err := Start(t.Context(), vocab.Topology{Name: "t"}, r, false, tt.steps...)
			if tt.wantErr == "" {
				if err != nil || got != r {
					t.Fatalf("got %v, %v; want the run and no error", got, err)
				}
				cleanup.Untrack(r) // a real run untracks itself in Close
				return
			}
			if err == nil || err.Error() != tt.wantErr || !errors.Is(err, boom) {
				t.Errorf("got %v, want %q wrapping the step's error", err, tt.wantErr)
			}
			if r.closes != tt.wantCloses {
				t.Errorf("got %d closes, want %d", r.closes, tt.wantCloses)
			}
		})
	}
}

func TestStartClosesOnPanic(t *testing.T) {
	r := &fakeRun{}
	defer func() {
		if p := recover(); p != "step panicked" || r.closes != 1 {
			t.Errorf("got panic %v and %d closes, want the panic re-raised after 1 close", p, r.closes)
		}
	}()
	Start(t.Context(), vocab.Topology{Name: "t"}, r, false, func(context.Context) error { panic("step panicked") })
}

func TestCloseOnce(t *testing.T) {
	c := NewCore("r1", vocab.Topology{}, nil, nil)
	calls := 0
	step := func(context.Context) error { calls++; return errors.New("gone") }
	err1 := c.CloseOnce(t.Context(), time.Second, step)
	err2 := c.CloseOnce(t.Context(), time.Second, step)
	if calls != 1 || err1 == nil || err1 != err2 || err1.Error() != "close r1: gone" {
		t.Errorf("got %d calls, errors %v / %v; want one call and the same error twice", calls, err1, err2)
	}
	if _, err := c.Apply(t.Context(), vocab.Fault{}); err == nil {
		t.Error("Apply after Close: got no error")
	}
}
