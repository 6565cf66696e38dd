package faults

import (
	"context"

	"github.com/failover-lab/failover-lab/fixtures/app"
)

// HTTPTruncate: the app announces its whole body, sends half and closes.
//
//	client ─▶ proxy ─▶ link ─▶ app [½ body]
type HTTPTruncate struct {
	HTTPScope `yaml:",inline"`
}

func init() {
	Register(Kind{Family: FamilyHTTP, Name: "truncate", Doc: "announce the full body, send half, close",
		New: func() Settings { return &HTTPTruncate{} }, Space: Space{Needs: NeedsControl, Breaks: true, Leaks: 3}})
}

func (h HTTPTruncate) fault() app.Fault { return h.on(app.Fault{Kind: app.KindTruncate}) }
func (h HTTPTruncate) Check() *Problem  { return checkHTTP(h.fault()) }
func (h HTTPTruncate) Describe() string { return h.fault().String() }

func (h HTTPTruncate) Apply(ctx context.Context, t Target) (Undo, error) {
	return applyHTTP(ctx, t, h.fault())
}
