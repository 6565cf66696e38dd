package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/labs/expect"
)

func TestWriteDir(t *testing.T) {
	s, l := lateFailback(t)
	dir := t.TempDir()
	path, err := WriteDir(dir, Run{Scenario: s, Ledger: l, Results: expect.Evaluate(s, l), Driver: "process"})
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<title>late-failback — FAIL</title>",
		"<svg",                               // the plot is inline
		"fixed (clear broken)",               // fault marks are labelled
		"data:text/csv;base64,",              // the ledger travels with the page
		"settled 1.797s after fixed",         // measured values
		"✗ first miss",                       // the failure's ASCII window
		`<td>13</td>`,                        // the expectation's line
		"· proxy builtin · driver process ·", // what ran it
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "src=", "<link"} {
		if strings.Contains(string(page), bad) {
			t.Errorf("index.html should be self-contained, has %q", bad)
		}
	}
	for _, f := range []string{"ledger.csv", "ledger.jsonl", "results.json", "junit.xml"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	// The plot as an image file: well-formed XML, the same lanes and marks.
	svg, err := os.ReadFile(filepath.Join(dir, "timeline.svg"))
	if err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(bytes.NewReader(svg))
	for {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("timeline.svg is not well-formed XML: %v", err)
		}
	}
	for _, want := range []string{`<svg xmlns="http://www.w3.org/2000/svg"`, "fixed (clear broken)", ">service</text>", "fill=\"#fff\""} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("timeline.svg lacks %q", want)
		}
	}
}

func TestHTMLShowsRunError(t *testing.T) {
	s, l := lateFailback(t)
	var b strings.Builder
	if err := HTML(&b, Run{Scenario: s, Ledger: l, Err: errors.New("start: no docker")}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "run failed: start: no docker") {
		t.Error("the run's own error should be on the page")
	}
}
