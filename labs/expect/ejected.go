package expect

import (
	"fmt"
	"net/http"

	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

// ofStream keeps the rows of one load stream ("" keeps them all;
// scenario.MainStream is the scenario's own load).
func ofStream(rows []ledger.Row, stream string) []ledger.Row {
	if stream == "" {
		return rows
	}
	if stream == scenario.MainStream {
		stream = ""
	}
	var out []ledger.Row
	for _, r := range rows {
		if r.Stream == stream {
			out = append(out, r)
		}
	}
	return out
}

// neverEjected passes when the node answered every request of the window
// that got an answer from a node, and the proxy never said nothing was
// usable: a node the proxy ejected would show in both.
func neverEjected(res *Result, in []ledger.Row, t Times) {
	node := res.Expectation.NeverEjected
	var mine, others int
	var first ledger.Row
	for _, r := range in {
		switch {
		case r.Err != "":
		case r.ServedBy == node:
			mine++
		case r.ServedBy != ledger.ServedByProxy || r.Status == http.StatusServiceUnavailable:
			if others == 0 {
				first = r
			}
			others++
		}
	}
	res.Pass = others == 0
	if res.Pass {
		res.Measured = fmt.Sprintf("%s answered all %d answered requests", node, mine)
		return
	}
	res.Focus = first.Sent
	res.Measured = fmt.Sprintf("%d answered by %s, %d by others (first %d from %s at %s); want none by others",
		mine, node, others, first.Status, first.ServedBy, t.Rel(first.Sent))
}
