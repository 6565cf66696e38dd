package faults

// httpReset: the app resets the connection, before its answer or mid body.
//
//	client ─▶ proxy ─▶ link ─▶ app [RST]
type httpReset struct{}

func init() { registerSpace(httpReset{}) }

func (httpReset) Name() string { return "reset" }

// Space: what `lab explore` draws; the app's control API applies it (ApplyHTTP).
func (httpReset) Space() Space {
	return Space{Family: "http", Fixed: map[string]string{"kind": "reset"}, Needs: NeedsControl, Breaks: true, Leaks: 3,
		Params: []Param{{Key: "when", Type: Choice, Choices: []string{"before", "mid"}}}}
}
