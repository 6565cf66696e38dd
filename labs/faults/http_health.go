package faults

// httpHealth: the app's /health lies (fail: 503 while pages work; ok: 200
// whatever the pages do). It counts as breaking the node: a proxy may
// rightly take out a member whose checks fail, so explore expects no
// failback while it lasts.
//
//	proxy ─[health check]─▶ app /health [lies]
type httpHealth struct{}

func init() { registerSpace(httpHealth{}) }

func (httpHealth) Name() string { return "health" }

// Space: what `lab explore` draws; the app's control API applies it (ApplyHTTP).
func (httpHealth) Space() Space {
	return Space{Family: "http", Fixed: map[string]string{"kind": "health"}, Needs: NeedsControl, Breaks: true,
		Params: []Param{{Key: "health", Type: Choice, Choices: []string{"fail", "ok"}}}}
}
