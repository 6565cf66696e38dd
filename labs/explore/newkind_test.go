package explore

import (
	"context"
	"time"

	"github.com/failover-lab/failover-lab/labs/faults"
)

// testFreeze is a fault kind added as one file, as a user of the lab (or
// a new kind in labs/faults) would add it: its own settings struct, its
// check and its space. Explore draws it, writes its drawn settings into the
// generated scenario, and its coverage table counts it, with no other edit
// (TestNewKindIsExplored).
type testFreeze struct {
	Grace time.Duration `yaml:"grace,omitempty" doc:"How long the node still answers before it freezes."`
}

func init() {
	faults.Register(faults.Kind{Family: faults.FamilyContainer, Name: "test-freeze", Doc: "Freeze the node after a grace.",
		New: func() faults.Settings { return &testFreeze{} },
		Space: faults.Space{Breaks: true,
			Params: []faults.Param{{Key: "grace", Type: faults.Duration, Min: 100, Max: 900, Step: 100}}}})
}

func (f testFreeze) Check() *faults.Problem {
	if f.Grace < 0 {
		return &faults.Problem{Field: "grace", Msg: "must be ≥ 0"}
	}
	return nil
}

func (f testFreeze) Describe() string { return "test-freeze after " + f.Grace.String() }

func (f testFreeze) Apply(ctx context.Context, t faults.Target) (faults.Undo, error) {
	if err := t.Container.Pause(ctx); err != nil {
		return nil, err
	}
	return t.Container.Unpause, nil
}
