package faults

import (
	"context"

	"github.com/failover-lab/failover-lab/fixtures/app"
)

// HTTPLatency: the app waits before answering (a slow query); it still answers.
//
//	client ─▶ proxy ─▶ link ─▶ app [+latency]
type HTTPLatency struct {
	Latency   app.Duration `yaml:"latency,omitempty" doc:"Added delay before the answer."`
	Jitter    app.Duration `yaml:"jitter,omitempty" doc:"Random extra delay in [0, jitter)."`
	HTTPScope `yaml:",inline"`
}

func init() {
	Register(Kind{Family: FamilyHTTP, Name: "latency", Doc: "wait latency plus a random part of jitter before answering",
		New: func() Settings { return &HTTPLatency{} },
		Space: Space{Needs: NeedsControl,
			Params: []Param{{Key: "latency", Type: Duration, Min: 10, Max: 3000, Step: 10}}}})
}

func (l HTTPLatency) fault() app.Fault {
	return l.on(app.Fault{Kind: app.KindLatency, Latency: l.Latency, Jitter: l.Jitter})
}

func (l HTTPLatency) Check() *Problem  { return checkHTTP(l.fault()) }
func (l HTTPLatency) Describe() string { return l.fault().String() }

func (l HTTPLatency) Apply(ctx context.Context, t Target) (Undo, error) {
	return applyHTTP(ctx, t, l.fault())
}
