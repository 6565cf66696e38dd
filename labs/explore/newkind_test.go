package explore

import (
	"context"

	"github.com/failover-lab/failover-lab/labs/faults"
)

// testFreeze is a fault kind added as one file, as a user of the lab (or
// a new kind in labs/faults) would add it: explore draws it and its
// coverage table counts it with no other edit (TestNewKindIsExplored).
type testFreeze struct{}

func init() { faults.Register(testFreeze{}) }

func (testFreeze) Name() string                        { return "test-freeze" }
func (testFreeze) Check(faults.Params) *faults.Problem { return nil }
func (testFreeze) Describe(faults.Params) string       { return "test-freeze" }

func (testFreeze) Apply(ctx context.Context, t faults.Target, _ faults.Params) (faults.Undo, error) {
	if err := t.Container.Pause(ctx); err != nil {
		return nil, err
	}
	return t.Container.Unpause, nil
}

func (testFreeze) Space() faults.Space {
	return faults.Space{Family: "container", Fixed: map[string]string{"action": "test-freeze"}, Breaks: true}
}
