package report

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/failover-lab/failover-lab/labs/expect"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

// ResultsVersion names the shape of results.json; it changes only when a
// field changes meaning or goes away (new fields may be added).
const ResultsVersion = "failover-lab/results/v1"

// Results is results.json: one run of one scenario, for machines. Times
// are seconds (floats), offsets are from the start of the load.
type Results struct {
	Version      string         `json:"version"`
	Scenario     string         `json:"scenario"`
	File         string         `json:"file"`
	About        string         `json:"about"`
	ProxyKind    string         `json:"proxy_kind"`
	Driver       string         `json:"driver"`
	Load         string         `json:"load,omitempty"` // where the load ran and what it reached
	Started      time.Time      `json:"started"`
	Seconds      float64        `json:"seconds"`
	Pass         bool           `json:"pass"`
	Error        string         `json:"error,omitempty"`
	Requests     RequestSummary `json:"requests"`
	Expectations []Expectation  `json:"expectations"`
}

// RequestSummary is the ledger in a few figures.
type RequestSummary struct {
	Total           int            `json:"total"`
	ByStatus        map[string]int `json:"by_status"`        // "200": n, answers only
	ByServedBy      map[string]int `json:"by_served_by"`     // node name or "proxy": n, answers only
	TransportErrors int            `json:"transport_errors"` // requests that got no answer
	ClientErrors    int            `json:"client_errors"`    // what a client saw fail: no answer, or a 5xx not from a standby (expect.IsClientError)
	Latency         LatencySummary `json:"latency_seconds"`  // over every request, answered or not
}

// LatencySummary holds latency quantiles, in seconds.
type LatencySummary struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// Expectation is the verdict on one expectation of the file.
type Expectation struct {
	Index    int      `json:"index"` // in the file's expect list
	Name     string   `json:"name"`  // its name, else its text
	Text     string   `json:"text"`  // as written, in flow YAML
	Line     int      `json:"line"`  // in the scenario file
	Pass     bool     `json:"pass"`
	Measured string   `json:"measured"`                 // what the run did, in words and figures
	Figure   *float64 `json:"figure_seconds,omitempty"` // failover/failback time of a served_by expectation
	Window   *Window  `json:"window,omitempty"`
}

// Window is the part of the run an expectation looked at.
type Window struct {
	Label string  `json:"label"` // "fixed+1.5s .. end"
	From  float64 `json:"from_seconds"`
	To    float64 `json:"to_seconds"`
}

// ResultsOf summarises a run; it reads only the run, so a report can be
// written again from a saved ledger.
func ResultsOf(r Run) Results {
	s := r.Scenario
	t := expect.TimesOf(s, r.Ledger)
	rows := r.Ledger.Rows()
	out := Results{
		Version: ResultsVersion, Scenario: s.Name, File: s.File, About: s.About,
		ProxyKind: s.Proxy.Label(), Driver: r.Driver, Load: r.Load, Started: t.Start.UTC(),
		Pass: r.Pass(), Requests: summarise(s, rows), Expectations: []Expectation{},
	}
	if end := lastTime(rows, r.Ledger.Marks()); end.After(t.Start) {
		out.Seconds = end.Sub(t.Start).Seconds()
	}
	if r.Err != nil {
		out.Error = r.Err.Error()
	}
	for _, res := range r.Results {
		e := Expectation{Index: res.Index, Name: res.Name(), Text: res.Expectation.String(), Line: res.Pos.Line,
			Pass: res.Pass, Measured: res.Measured}
		if res.HasFigure {
			f := res.Figure.Seconds()
			e.Figure = &f
		}
		if !res.Window.From.IsZero() {
			e.Window = &Window{Label: res.Window.Label, From: res.Window.From.Sub(t.Start).Seconds(), To: res.Window.To.Sub(t.Start).Seconds()}
		}
		out.Expectations = append(out.Expectations, e)
	}
	return out
}

// WriteResults writes ResultsOf(r) as indented JSON.
func WriteResults(w io.Writer, r Run) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(ResultsOf(r)); err != nil {
		return fmt.Errorf("report: results: %w", err)
	}
	return nil
}

// summarise counts the rows of a run of s.
func summarise(s *scenario.Scenario, rows []ledger.Row) RequestSummary {
	sum := RequestSummary{Total: len(rows), ByStatus: map[string]int{}, ByServedBy: map[string]int{}}
	for _, r := range rows {
		if expect.IsClientError(s, r) {
			sum.ClientErrors++
		}
		if r.Err != "" || r.Status == 0 {
			sum.TransportErrors++
			continue
		}
		sum.ByStatus[strconv.Itoa(r.Status)]++
		sum.ByServedBy[r.ServedBy]++
	}
	byLatency := slices.Clone(rows)
	slices.SortFunc(byLatency, func(a, b ledger.Row) int { return cmp.Compare(a.Latency, b.Latency) })
	q := func(p float64) float64 { return expect.Quantile(byLatency, p).Seconds() }
	sum.Latency = LatencySummary{P50: q(0.5), P90: q(0.9), P99: q(0.99), Max: q(1)}
	return sum
}

// lastTime is when the run's last request ended or its last mark was set.
func lastTime(rows []ledger.Row, marks []ledger.Mark) time.Time {
	var end time.Time
	for _, r := range rows {
		if t := r.Scheduled.Add(r.Latency); t.After(end) {
			end = t
		}
	}
	for _, m := range marks {
		if m.At.After(end) {
			end = m.At
		}
	}
	return end
}
