package faults

// httpStatus: the app answers a 5xx instead of its page, as a broken PHP script does.
//
//	client ─▶ proxy ─▶ link ─▶ app [500]
type httpStatus struct{}

func init() { registerSpace(httpStatus{}) }

func (httpStatus) Name() string { return "status" }

// Space: what `lab explore` draws; the app's control API applies it (ApplyHTTP).
func (httpStatus) Space() Space {
	return Space{Family: "http", Fixed: map[string]string{"kind": "status"}, Needs: NeedsControl, Breaks: true,
		Params: []Param{{Key: "status", Type: Choice, Choices: []string{"500", "502", "503", "504"}}}}
}
