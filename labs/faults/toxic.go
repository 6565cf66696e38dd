package faults

import (
	"context"
	"time"
)

// addToxic adds a Toxiproxy toxic to the node's link and returns the undo
// that removes it.
func addToxic(ctx context.Context, t Target, toxic, stream string, attrs map[string]any) (Undo, error) {
	l, err := link(t)
	if err != nil {
		return nil, err
	}
	name, err := l.AddToxic(ctx, toxic, stream, attrs)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) error { return l.RemoveToxic(ctx, name) }, nil
}

// Toxiproxy's streams: a toxic acts on the requests (upstream) or on the
// answers (downstream).
const (
	upstream   = "upstream"
	downstream = "downstream"
)

func ms(d time.Duration) int64 { return d.Milliseconds() }

// notNegative refuses a negative duration setting.
func notNegative(field string, d time.Duration) *Problem {
	if d < 0 {
		return problem(field, "must be ≥ 0 (got %s)", d)
	}
	return nil
}

// after is " after 300ms", or "" for 0.
func after(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return " after " + d.String()
}
