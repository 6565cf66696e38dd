package faults

// httpHealth: the app's /health lies (fail: 503 while pages work; ok: 200
// whatever the pages do). The node still serves, so clients must not see
// errors, but a proxy may rightly take out a member whose checks fail:
// explore expects no failover or failback while it lasts (Suspect).
//
//	proxy ─[health check]─▶ app /health [lies]
type httpHealth struct{}

func init() { registerSpace(httpHealth{}) }

func (httpHealth) Name() string { return "health" }

// Space: what `lab explore` draws; the app's control API applies it (ApplyHTTP).
func (httpHealth) Space() Space {
	return Space{Family: "http", Fixed: map[string]string{"kind": "health"}, Needs: NeedsControl, Suspect: true,
		Params: []Param{{Key: "health", Type: Choice, Choices: []string{"fail", "ok"}}}}
}
