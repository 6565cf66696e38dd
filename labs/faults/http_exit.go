package faults

// httpExit: the app exits (a crash); its control API goes with it.
//
//	client ─▶ proxy ─▶ link ─▶ ✗ app
type httpExit struct{}

func init() { registerSpace(httpExit{}) }

func (httpExit) Name() string { return "exit" }

// Space: what `lab explore` draws; the app's control API applies it (ApplyHTTP).
func (httpExit) Space() Space {
	return Space{Family: "http", Fixed: map[string]string{"kind": "exit"}, Needs: NeedsControl, Breaks: true,
		Never: "the process exits with its control API, so nothing could clear the fault; container kill covers a crash"}
}
