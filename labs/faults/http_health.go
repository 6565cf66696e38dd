package faults

import (
	"context"

	"github.com/failover-lab/failover-lab/fixtures/app"
)

// HTTPHealth: the app's /health lies (fail: 503 while pages work; ok: 200
// whatever the pages do). The node still serves, so clients must not see
// errors, but a proxy may rightly take out a member whose checks fail:
// explore expects no failover or failback while it lasts (Suspect).
//
//	proxy ─[health check]─▶ app /health [lies]
type HTTPHealth struct {
	Health     HealthAnswer `yaml:"health,omitempty" doc:"What /health answers: ok (200) or fail (503), whatever the pages do."`
	HTTPLimits `yaml:",inline"`
}

// HealthAnswer is what a lying /health says.
type HealthAnswer string

// healthAnswers are the values of HealthAnswer.
var healthAnswers = []string{app.HealthFail, app.HealthOK}

// Enum lists the values, for the scenario schema.
func (HealthAnswer) Enum() []string { return healthAnswers }

func init() {
	Register(Kind{Family: FamilyHTTP, Name: "health", Doc: "`/health` lies: answers ok or fail whatever the pages do",
		New: func() Settings { return &HTTPHealth{} },
		Space: Space{Needs: NeedsControl, Suspect: true,
			Params: []Param{{Key: "health", Type: Choice, Choices: healthAnswers}}}})
}

func (h HTTPHealth) fault() app.Fault {
	return h.on(app.Fault{Kind: app.KindHealth, Health: string(h.Health)})
}

func (h HTTPHealth) Check() *Problem  { return checkHTTP(h.fault()) }
func (h HTTPHealth) Describe() string { return h.fault().String() }

func (h HTTPHealth) Apply(ctx context.Context, t Target) (Undo, error) {
	return applyHTTP(ctx, t, h.fault())
}
