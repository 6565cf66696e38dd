package labs

import (
	"context"
	"strings"
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
		settings     faults.Settings
		markOnReturn bool
	}{
		{faults.Stop{}, false},
		{faults.Kill{}, true},
		{faults.Pause{}, true},
		{faults.Disconnect{}, true},
	} {
		t.Run(tt.settings.Describe(), func(t *testing.T) {
			led := ledger.New(time.Now())
			c := NewCore("r1", topo, led, slowTargets{slowContainer{lag}})
			before := time.Now()
			if _, err := c.Apply(t.Context(), vocab.Fault{Name: "f", Node: "service", Settings: tt.settings}); err != nil {
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

// seeingContainer reports, on every action, that its effect took hold at
// the instant seen returns (faults.TookHold), as a driver that watches
// its node does; it keeps what it reported.
type seeingContainer struct {
	slowContainer
	seen     func() time.Time
	reported *time.Time
}

func (c seeingContainer) Signal(ctx context.Context, _ syscall.Signal) error {
	*c.reported = c.seen()
	faults.TookHold(ctx, *c.reported)
	return nil
}

func (c seeingContainer) Stop(ctx context.Context) error {
	return c.Signal(ctx, syscall.SIGTERM)
}

type seeingTargets struct{ c seeingContainer }

func (s seeingTargets) Target(n vocab.Node) faults.Target {
	return faults.Target{Node: n.Name, Container: s.c}
}

// TestApplyMarksWhenSeen: a fault is marked at the instant the target saw
// its effect take hold, whatever the kind, and that instant is kept within
// the apply (an engine's clock may be ahead or behind ours).
func TestApplyMarksWhenSeen(t *testing.T) {
	topo := vocab.Topology{Name: "t", Nodes: []vocab.Node{{Name: "service", Fixture: vocab.FixtureApp, Role: vocab.RolePrimary}}}
	for _, tt := range []struct {
		name     string
		settings faults.Settings
		seen     func() time.Time
	}{
		{"kill seen now", faults.Kill{}, time.Now},
		{"stop seen now", faults.Stop{}, time.Now},
		{"seen before the apply", faults.Kill{}, func() time.Time { return time.Now().Add(-time.Hour) }},
		{"seen after the apply", faults.Stop{}, func() time.Time { return time.Now().Add(time.Hour) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			led := ledger.New(time.Now())
			var reported time.Time
			c := NewCore("r1", topo, led, seeingTargets{seeingContainer{seen: tt.seen, reported: &reported}})
			before := time.Now()
			a, err := c.Apply(t.Context(), vocab.Fault{Name: "f", Node: "service", Settings: tt.settings})
			after := time.Now()
			if err != nil {
				t.Fatal(err)
			}
			m, ok := led.FindMark("f", ledger.MarkApply)
			if !ok {
				t.Fatal("no apply mark")
			}
			want := reported
			if want.Before(before) {
				want = before
			}
			if want.After(after) {
				want = after
			}
			if m.At.Before(before) || m.At.After(after) {
				t.Fatalf("mark at %s from the apply's start, want within the apply (%s)", m.At.Sub(before), after.Sub(before))
			}
			if reported.After(before) && reported.Before(after) && !m.At.Equal(reported) {
				t.Errorf("got mark %s, want the instant seen %s", m.At, reported)
			}
			if !a.At.Equal(m.At) {
				t.Errorf("Applied.At %s, want the mark's %s", a.At, m.At)
			}
			if !strings.Contains(m.Detail, "seen in force") {
				t.Errorf("detail %q, want it to say the effect was seen", m.Detail)
			}
		})
	}
}

// A report after the watch was read (a crash loop's later deaths) does
// not move the first instant.
func TestTookHoldAfterReadIsIgnored(t *testing.T) {
	ctx, read := faults.WatchHold(t.Context())
	first := time.Now()
	faults.TookHold(ctx, first.Add(time.Second))
	faults.TookHold(ctx, first) // earlier wins
	at, ok := read()
	faults.TookHold(ctx, first.Add(-time.Second))
	if again, _ := read(); !ok || !at.Equal(first) || !again.Equal(first) {
		t.Errorf("got %s (ok %v) then %s, want %s both times", at, ok, again, first)
	}
	faults.TookHold(t.Context(), first) // no watch: nothing happens
}
