package faults

// httpHang: the app accepts and never answers until cleared.
//
//	client ─▶ proxy ─▶ link ─▶ app [⌛]
type httpHang struct{}

func init() { registerSpace(httpHang{}) }

func (httpHang) Name() string { return "hang" }

// Space: what `lab explore` draws; the app's control API applies it (ApplyHTTP).
func (httpHang) Space() Space {
	return Space{Family: "http", Fixed: map[string]string{"kind": "hang"}, Needs: NeedsControl, Breaks: true}
}
