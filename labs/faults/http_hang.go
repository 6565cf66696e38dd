package faults

import (
	"context"

	"github.com/failover-lab/failover-lab/fixtures/app"
)

// HTTPHang: the app accepts and never answers until cleared.
//
//	client ─▶ proxy ─▶ link ─▶ app [⌛]
type HTTPHang struct {
	HTTPScope `yaml:",inline"`
}

func init() {
	Register(Kind{Family: FamilyHTTP, Name: "hang", Doc: "accept, and never answer until the fault is cleared or expires",
		New: func() Settings { return &HTTPHang{} }, Space: Space{Needs: NeedsControl, Breaks: true}})
}

func (h HTTPHang) fault() app.Fault { return h.on(app.Fault{Kind: app.KindHang}) }
func (h HTTPHang) Check() *Problem  { return checkHTTP(h.fault()) }
func (h HTTPHang) Describe() string { return h.fault().String() }

func (h HTTPHang) Apply(ctx context.Context, t Target) (Undo, error) {
	return applyHTTP(ctx, t, h.fault())
}
