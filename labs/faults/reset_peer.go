package faults

import (
	"context"
	"time"
)

// ResetPeer resets connections (TCP RST) after timeout, 0 = at once.
//
//	proxy ─▶ link ─[RST]─▶ node
type ResetPeer struct {
	Timeout time.Duration `yaml:"timeout,omitempty" doc:"Reset after this. Default 0: at once."`
}

func init() {
	Register(Kind{Family: FamilyNetwork, Name: "reset_peer", Doc: "reset connections (TCP RST) after timeout, 0 = at once",
		New:   func() Settings { return &ResetPeer{} },
		Space: Space{Needs: NeedsLink, Breaks: true, Params: []Param{{Key: "timeout", Type: Duration, Min: 0, Max: 2000, Step: 100}}}})
}

func (r ResetPeer) Check() *Problem { return notNegative("timeout", r.Timeout) }

func (r ResetPeer) Describe() string { return "reset_peer" + after(r.Timeout) }

func (r ResetPeer) Apply(ctx context.Context, t Target) (Undo, error) {
	return addToxic(ctx, t, "reset_peer", downstream, map[string]any{"timeout": ms(r.Timeout)})
}
