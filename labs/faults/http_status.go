package faults

import (
	"context"

	"github.com/failover-lab/failover-lab/fixtures/app"
)

// HTTPStatus: the app answers a 5xx instead of its page, as a broken PHP script does.
//
//	client ─▶ proxy ─▶ link ─▶ app [500]
type HTTPStatus struct {
	Status    int `yaml:"status,omitempty" doc:"The status to answer, 100-599."`
	HTTPScope `yaml:",inline"`
}

func init() {
	Register(Kind{Family: FamilyHTTP, Name: "status", Doc: "answer this status instead of the page",
		New: func() Settings { return &HTTPStatus{} },
		Space: Space{Needs: NeedsControl, Breaks: true,
			Params: []Param{{Key: "status", Type: Choice, Choices: []string{"500", "502", "503", "504"}}}}})
}

func (s HTTPStatus) fault() app.Fault {
	return s.on(app.Fault{Kind: app.KindStatus, Status: s.Status})
}

func (s HTTPStatus) Check() *Problem  { return checkHTTP(s.fault()) }
func (s HTTPStatus) Describe() string { return s.fault().String() }

func (s HTTPStatus) Apply(ctx context.Context, t Target) (Undo, error) {
	return applyHTTP(ctx, t, s.fault())
}
