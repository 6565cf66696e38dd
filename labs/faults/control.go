package faults

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/failover-lab/failover-lab/fixtures/app"
)

// Control is an app node's fault-control API (fixtures/app).
type Control interface {
	Apply(ctx context.Context, f app.Fault) (app.Fault, error)
	Clear(ctx context.Context, id string) error
	List(ctx context.Context) ([]app.Active, error)
}

var _ Control = app.Client{}

// HTTPLimits bound an http fault: how many requests, how long, how often.
// Every http kind has them.
type HTTPLimits struct {
	Count       int          `yaml:"count,omitempty" doc:"Only the next count requests; 0 = no limit."`
	For         app.Duration `yaml:"for,omitempty" doc:"Lifetime from when it is applied; 0 = until cleared."`
	Probability float64      `yaml:"probability,omitempty" doc:"Chance a request is hit, in (0, 1]. Default 1."`
}

// HTTPScope is HTTPLimits plus which requests the fault sees: every http
// kind but health (which answers /health) has it.
type HTTPScope struct {
	HTTPLimits `yaml:",inline"`
	Path       string `yaml:"path,omitempty" doc:"Only requests whose path starts with this, e.g. /poison; \"\" = every page."`
	Method     string `yaml:"method,omitempty" doc:"Only requests with this method, e.g. POST; \"\" = any."`
}

// on is f limited as l says.
func (l HTTPLimits) on(f app.Fault) app.Fault {
	f.Count, f.For, f.Probability = l.Count, l.For, l.Probability
	return f
}

// on is f limited and scoped as s says.
func (s HTTPScope) on(f app.Fault) app.Fault {
	f = s.HTTPLimits.on(f)
	f.Path, f.Method = s.Path, s.Method
	return f
}

// checkHTTP is the control API's own validation of f, as a Problem: its
// messages read `status: must be 100-599 (got 42)`.
func checkHTTP(f app.Fault) *Problem {
	err := f.Validate()
	if err == nil {
		return nil
	}
	msg := err.Error()
	if errors.Is(err, app.ErrInvalid) {
		msg = strings.TrimPrefix(msg, app.ErrInvalid.Error()+": ")
	}
	field, rest, ok := strings.Cut(msg, ": ")
	if !ok || strings.ContainsAny(field, " \"") {
		return &Problem{Msg: msg}
	}
	return &Problem{Field: field, Msg: rest}
}

// applyHTTP posts f to the node's control API, under the fault's name as
// its id, and returns how to delete it again:
//
//	client ─▶ proxy ─▶ link ─▶ app node [fault: status 500, latency, hang, ...]
func applyHTTP(ctx context.Context, t Target, f app.Fault) (Undo, error) {
	if t.Control == nil {
		return nil, fmt.Errorf("%w: http: node %s has no fault-control API the lab can reach", ErrUnsupported, t.Node)
	}
	f.ID = t.Fault
	out, err := t.Control.Apply(ctx, f)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		// A fault the app no longer holds is cleared already: it ran out
		// (count, for), or died with the app's process (a restart, a kill).
		if err := t.Control.Clear(ctx, out.ID); err != nil && !errors.Is(err, app.ErrNoFault) {
			return err
		}
		return nil
	}, nil
}
