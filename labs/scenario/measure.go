package scenario

import "strings"

// Measure is what an expectation checks. The measures are a closed set:
// Measures is its one table, which parsing, validation, the messages, the
// docs listing (docs/scenarios.md) and labs/expect's judges all loop over.
type Measure string

// The measures.
const (
	MeasureClientErrors Measure = "client_errors"
	MeasureErrorPage    Measure = "error_page"
	MeasureServedBy     Measure = "served_by" // also status alone
	MeasureFlaps        Measure = "flaps"
	MeasureLatency      Measure = "latency"
	MeasureRequests     Measure = "requests"
	MeasureProbe        Measure = "probe"
	MeasureNeverEjected Measure = "never_ejected"
)

// MeasureDef is one row of Measures.
type MeasureDef struct {
	Measure Measure
	// Keys are the expectation's keys that select the measure: served_by
	// is also chosen by status alone.
	Keys []string
	// Written is how the measure is written, for the docs: "client_errors: N or {min, max}".
	Written string
	// Doc says when it passes.
	Doc string
	// Set says whether e asks for this measure.
	Set func(e Expectation) bool
	// Bound is the measure's count bound, for counting measures (nil for the others).
	Bound func(e Expectation) *Bound
}

// Measures is the table of measures, in the order messages and docs list them.
var Measures = []MeasureDef{
	{Measure: MeasureClientErrors, Keys: []string{"client_errors"}, Written: "`client_errors: N` or `{min, max}`",
		Doc:   "count of transport errors plus 5xx answered by the proxy itself or by a primary. A standby's answer is never a client error",
		Set:   func(e Expectation) bool { return e.ClientErrors != nil },
		Bound: func(e Expectation) *Bound { return e.ClientErrors }},
	{Measure: MeasureErrorPage, Keys: []string{"error_page"}, Written: "`error_page: N` or `{min, max}`",
		Doc:   "count of answers by a standby node (whatever their status)",
		Set:   func(e Expectation) bool { return e.ErrorPage != nil },
		Bound: func(e Expectation) *Bound { return e.ErrorPage }},
	{Measure: MeasureServedBy, Keys: []string{"served_by", "status"}, Written: "`served_by: NODE \\| primary \\| standby \\| proxy` and/or `status: 503`",
		Doc: "every request of the window was answered by it, with that status (transport errors never match); with `fraction: 0.9`, at least that share",
		Set: func(e Expectation) bool { return e.Probe == "" && (e.ServedBy != "" || e.Status != 0) }},
	{Measure: MeasureFlaps, Keys: []string{"flaps"}, Written: "`flaps: N` or `{min, max}`",
		Doc:   "count of switches of the answering tier, primary → standby or back, counted once the other tier answered 3 requests in a row",
		Set:   func(e Expectation) bool { return e.Flaps != nil },
		Bound: func(e Expectation) *Bound { return e.Flaps }},
	{Measure: MeasureLatency, Keys: []string{"latency"}, Written: "`latency: {p50, p90, p99, max}`",
		Doc: "those latency quantiles (nearest rank) at most these",
		Set: func(e Expectation) bool { return e.Latency != nil }},
	{Measure: MeasureRequests, Keys: []string{"requests"}, Written: "`requests: N` or `{min, max}`",
		Doc:   "count of requests sent in the window",
		Set:   func(e Expectation) bool { return e.Requests != nil },
		Bound: func(e Expectation) *Bound { return e.Requests }},
	{Measure: MeasureProbe, Keys: []string{"probe"}, Written: "`probe: EVENT` with `served_by`, `status`, `header`, or with `cause` (a `why` event)",
		Doc: "the answer to that probe event came from there, with that status, carrying that header (`header: Retry-After`); for a `why` event, the node's last transition's cause contains the text, e.g. `cause: \"certificate has expired\"`. No window keys. The ledger keeps no headers, so headers are checked this way",
		Set: func(e Expectation) bool { return e.Probe != "" }},
	{Measure: MeasureNeverEjected, Keys: []string{"never_ejected"}, Written: "`never_ejected: NODE`",
		Doc: "no request of the window was answered by another node, nor by the proxy's 503 (nothing usable)",
		Set: func(e Expectation) bool { return e.NeverEjected != "" }},
}

// MeasureKeys lists every key that selects a measure, for messages:
// "client_errors, error_page, served_by, status, ...".
func MeasureKeys() string {
	var keys []string
	for _, m := range Measures {
		keys = append(keys, m.Keys...)
	}
	return strings.Join(keys, ", ")
}

// MeasuresTable is the docs' listing of the measures (docs/scenarios.md),
// a Markdown table made from Measures.
func MeasuresTable() string {
	var b strings.Builder
	b.WriteString("| measure | passes when |\n|---|---|\n")
	for _, m := range Measures {
		b.WriteString("| " + m.Written + " | " + m.Doc + " |\n")
	}
	return b.String()
}
