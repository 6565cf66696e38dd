package faults

// httpLatency: the app waits before answering (a slow query); it still answers.
//
//	client ─▶ proxy ─▶ link ─▶ app [+latency]
type httpLatency struct{}

func init() { registerSpace(httpLatency{}) }

func (httpLatency) Name() string { return "latency" }

// Space: what `lab explore` draws; the app's control API applies it (ApplyHTTP).
func (httpLatency) Space() Space {
	return Space{Family: "http", Fixed: map[string]string{"kind": "latency"}, Needs: NeedsControl,
		Params: []Param{{Key: "latency", Type: Duration, Min: 10, Max: 3000, Step: 10}}}
}
