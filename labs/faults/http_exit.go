package faults

import (
	"context"

	"github.com/failover-lab/failover-lab/fixtures/app"
)

// HTTPExit: the app exits (a crash); its control API goes with it.
//
//	client ─▶ proxy ─▶ link ─▶ ✗ app
type HTTPExit struct {
	Code      int `yaml:"code,omitempty" doc:"Exit status, 1-255. Default 1."`
	HTTPScope `yaml:",inline"`
}

func init() {
	Register(Kind{Family: FamilyHTTP, Name: "exit", Doc: "exit the process with code (a crash) on the next request it sees",
		New: func() Settings { return &HTTPExit{} },
		Space: Space{Needs: NeedsControl, Breaks: true,
			Never: "the process exits with its control API, so nothing could clear the fault; container kill covers a crash"}})
}

func (e HTTPExit) fault() app.Fault { return e.on(app.Fault{Kind: app.KindExit, Code: e.Code}) }
func (e HTTPExit) Check() *Problem  { return checkHTTP(e.fault()) }
func (e HTTPExit) Describe() string { return e.fault().String() }

func (e HTTPExit) Apply(ctx context.Context, t Target) (Undo, error) {
	return applyHTTP(ctx, t, e.fault())
}
