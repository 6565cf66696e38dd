package faults

import (
	"context"
	"fmt"
	"slices"

	"github.com/failover-lab/failover-lab/fixtures/app"
)

// Control is an app node's fault-control API (fixtures/app).
type Control interface {
	Apply(ctx context.Context, f app.Fault) (app.Fault, error)
	Clear(ctx context.Context, id string) error
	List(ctx context.Context) ([]app.Active, error)
}

var _ Control = app.Client{}

// ApplyHTTP posts an HTTP fault to the node's control API:
//
//	client ─▶ proxy ─▶ link ─▶ app node [fault: status 500, latency, hang, ...]
//
// and returns the fault's id and how to delete it again.
func ApplyHTTP(ctx context.Context, t Target, f app.Fault) (string, Undo, error) {
	if t.Control == nil {
		return "", nil, fmt.Errorf("%w: http: node %s has no fault-control API the lab can reach", ErrUnsupported, t.Node)
	}
	out, err := t.Control.Apply(ctx, f)
	if err != nil {
		return "", nil, err
	}
	return out.ID, func(ctx context.Context) error { return t.Control.Clear(ctx, out.ID) }, nil
}

// HTTPActive says whether the control API still holds fault id (a fault
// that ran out, or died with its process, is gone).
func HTTPActive(ctx context.Context, t Target, id string) (bool, error) {
	if t.Control == nil {
		return false, nil
	}
	active, err := t.Control.List(ctx)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(active, func(f app.Active) bool { return f.ID == id }), nil
}
