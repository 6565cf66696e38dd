package runner

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/ledger"
)

// signalRun is a run whose proxy takes signals; it records them.
type signalRun struct {
	labs.Run // nil: reload must call nothing else
	sent     []string
}

func (r *signalRun) SignalProxy(_ context.Context, sig string) error {
	r.sent = append(r.sent, sig)
	return nil
}

// A proxy that reloads on a signal gets it, and the moment is marked; a
// run that cannot signal its proxy says so.
func TestReloadBySignal(t *testing.T) {
	l := ledger.New(time.Now())
	run := &signalRun{}
	if err := reload(context.Background(), run, "SIGHUP", l, "reloaded"); err != nil {
		t.Fatal(err)
	}
	if strings.Join(run.sent, ",") != "SIGHUP" {
		t.Errorf("signals sent: got %v, want [SIGHUP]", run.sent)
	}
	if marks := l.Marks(); len(marks) != 1 || marks[0].Name != "reloaded" || marks[0].Kind != ledger.MarkEvent {
		t.Errorf("marks: got %+v, want one event mark named reloaded", marks)
	}
	var plain struct{ labs.Run }
	if err := reload(context.Background(), plain, "SIGHUP", l, "again"); err == nil || !strings.Contains(err.Error(), "cannot signal the proxy") {
		t.Errorf("a run without SignalProxy: got %v, want an error saying it cannot signal the proxy", err)
	}
}
