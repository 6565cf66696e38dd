package faults

import (
	"context"

	"github.com/failover-lab/failover-lab/fixtures/app"
)

// HTTPReset: the app resets the connection, before its answer or mid body.
//
//	client ─▶ proxy ─▶ link ─▶ app [RST]
type HTTPReset struct {
	When      ResetWhen `yaml:"when,omitempty" doc:"When the reset happens: before (default) or mid (after the headers and half of the body)."`
	HTTPScope `yaml:",inline"`
}

// ResetWhen is when an http reset happens.
type ResetWhen string

// resetWhens are the values of ResetWhen, simplest first.
var resetWhens = []string{app.WhenBefore, app.WhenMid}

// Enum lists the values, for the scenario schema.
func (ResetWhen) Enum() []string { return resetWhens }

func init() {
	Register(Kind{Family: FamilyHTTP, Name: "reset", Doc: "reset the connection, before the answer or mid body",
		New: func() Settings { return &HTTPReset{} },
		Space: Space{Needs: NeedsControl, Breaks: true, Leaks: 3,
			Params: []Param{{Key: "when", Type: Choice, Choices: resetWhens}}}})
}

func (r HTTPReset) fault() app.Fault {
	return r.on(app.Fault{Kind: app.KindReset, When: string(r.When)})
}

func (r HTTPReset) Check() *Problem  { return checkHTTP(r.fault()) }
func (r HTTPReset) Describe() string { return r.fault().String() }

func (r HTTPReset) Apply(ctx context.Context, t Target) (Undo, error) {
	return applyHTTP(ctx, t, r.fault())
}
