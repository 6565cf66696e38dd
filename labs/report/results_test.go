package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/labs/expect"
)

func TestResultsOf(t *testing.T) {
	s, l := lateFailback(t)
	got := ResultsOf(Run{Scenario: s, Ledger: l, Results: expect.Evaluate(s, l), Driver: "process"})
	if got.Version != ResultsVersion || got.Scenario != "late-failback" || got.File != "scenarios/late-failback.yaml" ||
		got.ProxyKind != "builtin" || got.Driver != "process" || got.Pass || got.Error != "" {
		t.Errorf("header: got %+v", got)
	}
	if !got.Started.Equal(t0) {
		t.Errorf("started: got %v, want %v", got.Started, t0)
	}
	r := got.Requests
	if r.Total != 1000 || r.TransportErrors != 0 || r.ClientErrors != 0 || r.ByStatus["200"]+r.ByStatus["503"] != 1000 ||
		r.ByServedBy["service"]+r.ByServedBy["failover"] != 1000 || r.ByStatus["503"] != r.ByServedBy["failover"] {
		t.Errorf("requests: got %+v, want 1000 answered, 503s from failover", r)
	}
	if r.Latency.P50 != 0.002 || r.Latency.Max != 0.002 { // most rows are the failover's 2 ms 503s
		t.Errorf("latency: got %+v, want p50 and max 2ms", r.Latency)
	}
	if len(got.Expectations) != 2 {
		t.Fatalf("got %d expectations, want 2", len(got.Expectations))
	}
	ok, late := got.Expectations[0], got.Expectations[1]
	if !ok.Pass || ok.Text != "{client_errors: 0}" || ok.Line != 12 {
		t.Errorf("client_errors: got %+v", ok)
	}
	if late.Pass || late.Line != 13 || late.Figure == nil || math.Abs(*late.Figure-1.797) > 0.0005 || late.Window == nil ||
		late.Window.Label != "fixed+1.5s .. end" || !strings.Contains(late.Measured, "settled 1.797s after fixed") {
		t.Errorf("failback: got %+v (figure %v, window %+v)", late, *late.Figure, late.Window)
	}
}

// TestResultsJSONRoundTrip: results.json decodes strictly into the type
// docs/scenarios.md documents, and every key is documented there.
func TestResultsJSONRoundTrip(t *testing.T) {
	s, l := lateFailback(t)
	run := Run{Scenario: s, Ledger: l, Results: expect.Evaluate(s, l), Driver: "docker", Err: errors.New("fault broken: clear: no such container")}
	var b bytes.Buffer
	if err := WriteResults(&b, run); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b.Bytes()))
	dec.DisallowUnknownFields()
	var back Results
	if err := dec.Decode(&back); err != nil {
		t.Fatal(err)
	}
	if want := ResultsOf(run); !reflect.DeepEqual(back, want) {
		t.Errorf("round trip: got %+v, want %+v", back, want)
	}
	if back.Pass || back.Error != "fault broken: clear: no such container" {
		t.Errorf("a run error: got pass=%v error=%q", back.Pass, back.Error)
	}
	md, err := os.ReadFile("../../docs/scenarios.md")
	if err != nil {
		t.Fatal(err)
	}
	_, doc, _ := bytes.Cut(md, []byte("\n## Results for CI"))
	doc, _, _ = bytes.Cut(doc, []byte("\n## "))
	for _, key := range jsonKeys(reflect.TypeFor[Results]()) {
		if !bytes.Contains(doc, []byte("`"+key+"`")) {
			t.Errorf("docs/scenarios.md, section \"Results for CI\", does not document key %q", key)
		}
	}
}

// jsonKeys lists the JSON keys of t and of the structs it holds.
func jsonKeys(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t.PkgPath() != reflect.TypeFor[Results]().PkgPath() {
		return nil
	}
	var keys []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		keys = append(keys, name)
		keys = append(keys, jsonKeys(f.Type)...)
	}
	return keys
}
