package scenario

import (
	"fmt"
	"strings"
	"time"
)

// Expectation is one thing the run must meet, over a window of the run.
//
// The window: without After it is the whole run. With After it opens at that
// event plus Within and closes at the next timeline event, or at Until, or
// after For. Exactly one measure is set: ClientErrors, ErrorPage, ServedBy
// and/or Status, Flaps, Latency or Requests.
type Expectation struct {
	Name   string        `yaml:"name,omitempty" doc:"A label for reports, e.g. failover time."`
	After  string        `yaml:"after,omitempty" doc:"The window opens at this event (start = the start of the load). Default: the whole run."`
	Within time.Duration `yaml:"within,omitempty" doc:"Grace after the event: the window opens this much later. For served_by, the longest failover/failback time allowed."`
	Until  string        `yaml:"until,omitempty" doc:"The window closes at this event. Default: the event after after, or end."`
	For    time.Duration `yaml:"for,omitempty" doc:"The window closes this long after it opens (instead of until)."`

	ClientErrors *Bound        `yaml:"client_errors,omitempty" doc:"Count of 5xx answers not from a standby (from the proxy or a primary) plus transport errors: N (at most N) or {min, max}."`
	ErrorPage    *Bound        `yaml:"error_page,omitempty" doc:"Count of answers served by a standby node (the error page): N (at most N) or {min, max}."`
	ServedBy     string        `yaml:"served_by,omitempty" doc:"Answers come from this node, role (primary, standby) or proxy: all of them, or fraction."`
	Status       int           `yaml:"status,omitempty" doc:"Answers have this status (alone or with served_by): all of them, or fraction."`
	Fraction     float64       `yaml:"fraction,omitempty" doc:"With served_by/status: the least share of the window's requests that must match, in (0, 1]. Default 1."`
	Flaps        *Bound        `yaml:"flaps,omitempty" doc:"Count of switches between primaries and standbys (either way; a switch counts once the other tier answered 3 requests in a row): N (at most N) or {min, max}."`
	Latency      *LatencyBound `yaml:"latency,omitempty" doc:"Latency quantiles at most these, e.g. {p50: 20ms, p99: 1s}."`
	Requests     *Bound        `yaml:"requests,omitempty" doc:"Count of requests sent in the window: N (at most N) or {min, max}."`
	Probe        string        `yaml:"probe,omitempty" doc:"The answer to the probe event of this name meets served_by, status and header."`
	Header       string        `yaml:"header,omitempty" doc:"With probe: the answer carries this header, e.g. Retry-After."`
	Cause        string        `yaml:"cause,omitempty" doc:"With probe of a why event: the cause of the node's last transition contains this text, e.g. \"tls: certificate\"."`
	Stream       string        `yaml:"stream,omitempty" doc:"Judge only the rows of this load stream (main = the scenario's load). Default: every stream."`
	NeverEjected string        `yaml:"never_ejected,omitempty" doc:"This node kept serving: no request of the window was answered by another node, nor by the proxy's 503 (nothing usable)."`
}

// Kind is the expectation's measure; "" when none is set.
func (e Expectation) Kind() Measure {
	kinds := e.kinds()
	if len(kinds) == 0 {
		return ""
	}
	return kinds[0]
}

// kinds lists every measure set; validation wants exactly one.
func (e Expectation) kinds() []Measure {
	var k []Measure
	for _, m := range Measures {
		if m.Set(e) {
			k = append(k, m.Measure)
		}
	}
	return k
}

// String writes the expectation back in the flow style of a scenario file,
// keys in a fixed order: {after: broken, within: 100ms, served_by: failover}.
func (e Expectation) String() string {
	var parts []string
	add := func(k, v string) { parts = append(parts, k+": "+v) }
	if e.Name != "" {
		add("name", e.Name)
	}
	if e.After != "" {
		add("after", e.After)
	}
	if e.Within != 0 {
		add("within", fmtDuration(e.Within))
	}
	if e.Until != "" {
		add("until", e.Until)
	}
	if e.For != 0 {
		add("for", fmtDuration(e.For))
	}
	if e.Stream != "" {
		add("stream", e.Stream)
	}
	if e.NeverEjected != "" {
		add("never_ejected", e.NeverEjected)
	}
	for _, m := range Measures {
		if b := bound(m, e); b != nil {
			add(string(m.Measure), b.String())
		}
	}
	if e.Probe != "" {
		add("probe", e.Probe)
	}
	if e.ServedBy != "" {
		add("served_by", e.ServedBy)
	}
	if e.Status != 0 {
		add("status", itoa(e.Status))
	}
	if e.Fraction != 0 {
		add("fraction", fmt.Sprint(e.Fraction))
	}
	if e.Header != "" {
		add("header", e.Header)
	}
	if e.Latency != nil {
		add("latency", e.Latency.String())
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// bound is the count bound of e for a counting measure, or nil.
func bound(m MeasureDef, e Expectation) *Bound {
	if m.Bound == nil {
		return nil
	}
	return m.Bound(e)
}

// Bound limits a count: a bare number N means at most N; {min: M} at least
// M; {min: M, max: N} both.
type Bound struct {
	Min *int `yaml:"min,omitempty" doc:"At least this many."`
	Max *int `yaml:"max,omitempty" doc:"At most this many."`
}

// Check says whether n is within the bound.
func (b Bound) Check(n int) bool {
	return (b.Min == nil || n >= *b.Min) && (b.Max == nil || n <= *b.Max)
}

// String writes a bare N for {max: N}, else the mapping.
func (b Bound) String() string {
	switch {
	case b.Min == nil && b.Max != nil:
		return itoa(*b.Max)
	case b.Min != nil && b.Max == nil:
		return "{min: " + itoa(*b.Min) + "}"
	case b.Min != nil && b.Max != nil:
		return "{min: " + itoa(*b.Min) + ", max: " + itoa(*b.Max) + "}"
	}
	return "{}"
}

// LatencyBound caps latency quantiles over a window; latency counts from
// when the request was due (open loop), so queueing shows.
type LatencyBound struct {
	P50 time.Duration `yaml:"p50,omitempty" doc:"Median at most this."`
	P90 time.Duration `yaml:"p90,omitempty" doc:"90th percentile at most this."`
	P99 time.Duration `yaml:"p99,omitempty" doc:"99th percentile at most this."`
	Max time.Duration `yaml:"max,omitempty" doc:"Slowest request at most this."`
}

// Quantiles lists the bounds that are set, as (q, limit) with q in [0, 1].
func (l LatencyBound) Quantiles() []Quantile {
	var qs []Quantile
	for _, q := range []Quantile{{"p50", 0.50, l.P50}, {"p90", 0.90, l.P90}, {"p99", 0.99, l.P99}, {"max", 1, l.Max}} {
		if q.Limit > 0 {
			qs = append(qs, q)
		}
	}
	return qs
}

// Quantile is one latency bound.
type Quantile struct {
	Name  string
	Q     float64
	Limit time.Duration
}

// String writes the bound as {p50: 20ms, p99: 1s}.
func (l LatencyBound) String() string {
	var parts []string
	for _, q := range l.Quantiles() {
		parts = append(parts, q.Name+": "+fmtDuration(q.Limit))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
