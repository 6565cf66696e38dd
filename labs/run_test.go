package labs

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// slowContainer takes lag for every action, as a loaded Docker daemon does.
type slowContainer struct{ lag time.Duration }

func (c slowContainer) wait() error                                  { time.Sleep(c.lag); return nil }
func (c slowContainer) Stop(context.Context) error                   { return c.wait() }
func (c slowContainer) Signal(context.Context, syscall.Signal) error { return c.wait() }
func (c slowContainer) Pause(context.Context) error                  { return c.wait() }
func (c slowContainer) Unpause(context.Context) error                { return c.wait() }
func (c slowContainer) Restart(context.Context) error                { return c.wait() }
func (c slowContainer) StartAgain(context.Context) error             { return c.wait() }
func (c slowContainer) Disconnect(context.Context) error             { return c.wait() }
func (c slowContainer) Reconnect(context.Context) error              { return c.wait() }

type slowTargets struct{ c slowContainer }

func (s slowTargets) Target(n vocab.Node) faults.Target {
	return faults.Target{Node: n.Name, Container: s.c}
}

// TestApplyMarks: a stop is marked when it was issued (the node stops
// accepting at SIGTERM), a kill when it returned (the node is gone only
// then), so a slow daemon does not count against the proxy's failover.
func TestApplyMarks(t *testing.T) {
	const lag = 200 * time.Millisecond
	topo := vocab.Topology{Name: "t", Nodes: []vocab.Node{{Name: "service", Fixture: vocab.FixtureApp, Role: vocab.RolePrimary}}}
	for _, tt := range []struct {
		action       vocab.Action
		markOnReturn bool
	}{
		{"stop", false},
		{"kill", true},
		{"pause", true},
		{"disconnect", true},
	} {
		t.Run(string(tt.action), func(t *testing.T) {
			led := ledger.New(time.Now())
			c := NewCore("r1", topo, led, slowTargets{slowContainer{lag}})
			before := time.Now()
			if _, err := c.Apply(t.Context(), vocab.Fault{Name: "f", Node: "service", Container: &vocab.ContainerFault{Action: tt.action}}); err != nil {
				t.Fatal(err)
			}
			marks := led.Marks()
			if len(marks) != 1 {
				t.Fatalf("got %d marks, want 1", len(marks))
			}
			onReturn := marks[0].At.Sub(before) >= lag
			if onReturn != tt.markOnReturn {
				t.Errorf("mark %s after the apply began: got on return %v, want %v", marks[0].At.Sub(before), onReturn, tt.markOnReturn)
			}
		})
	}
}
