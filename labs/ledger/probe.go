package ledger

import "encoding/json"

// ProbeAnswer is what a probe event saw: one GET through the proxy. The
// ledger keeps rows without headers, so the probe keeps its answer in the
// Detail of its mark, as JSON, for expectations to read.
type ProbeAnswer struct {
	Status   int               `json:"status,omitempty"`
	ServedBy string            `json:"served_by,omitempty"`
	Header   map[string]string `json:"header,omitempty"` // first value of each header
	Err      string            `json:"error,omitempty"`
	// State and Cause are what a why event read from the proxy's admin:
	// the member's state and the cause of its last transition.
	State string `json:"state,omitempty"`
	Cause string `json:"cause,omitempty"`
}

// ParseProbe reads the answer a probe mark holds.
func ParseProbe(m Mark) (ProbeAnswer, error) {
	var a ProbeAnswer
	err := json.Unmarshal([]byte(m.Detail), &a)
	return a, err
}
