package faults

// httpTruncate: the app announces its whole body, sends half and closes.
//
//	client ─▶ proxy ─▶ link ─▶ app [½ body]
type httpTruncate struct{}

func init() { registerSpace(httpTruncate{}) }

func (httpTruncate) Name() string { return "truncate" }

// Space: what `lab explore` draws; the app's control API applies it (ApplyHTTP).
func (httpTruncate) Space() Space {
	return Space{Family: "http", Fixed: map[string]string{"kind": "truncate"}, Needs: NeedsControl, Breaks: true, Leaks: 3}
}
