package faults

import (
	"context"
	"time"
)

// Latency delays every answer by latency ± jitter.
//
//	proxy ─▶ link ─[+latency]─▶ node
type Latency struct {
	Latency time.Duration `yaml:"latency,omitempty" doc:"Added delay of every answer (required, > 0)."`
	Jitter  time.Duration `yaml:"jitter,omitempty" doc:"± variation of the delay. Default 0."`
}

func init() {
	Register(Kind{Family: FamilyNetwork, Name: "latency", Doc: "delay every answer by latency ± jitter",
		New: func() Settings { return &Latency{} },
		Space: Space{Needs: NeedsLink, Params: []Param{
			{Key: "latency", Type: Duration, Min: 10, Max: 3000, Step: 10},
			{Key: "jitter", Type: Duration, Min: 0, Max: 500, Step: 10},
		}}})
}

func (l Latency) Check() *Problem {
	switch {
	case l.Latency <= 0:
		return problem("latency", "must be > 0 (got %s)", l.Latency)
	case l.Jitter < 0:
		return problem("jitter", "must be ≥ 0 (got %s)", l.Jitter)
	}
	return nil
}

func (l Latency) Describe() string {
	if l.Jitter > 0 {
		return "latency " + l.Latency.String() + "±" + l.Jitter.String()
	}
	return "latency " + l.Latency.String()
}

func (l Latency) Apply(ctx context.Context, t Target) (Undo, error) {
	return addToxic(ctx, t, "latency", downstream, map[string]any{"latency": ms(l.Latency), "jitter": ms(l.Jitter)})
}
