package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/labs/expect"
)

// junitShape is the JUnit schema most CI servers read (Jenkins'
// junit-10.xsd, which Surefire's output and GitLab follow): the elements
// each element may hold, its attributes, and the required ones (marked !).
var junitShape = map[string]struct{ children, attrs []string }{
	"testsuites": {[]string{"testsuite"}, []string{"name", "time", "tests", "failures", "disabled", "errors"}},
	"testsuite": {[]string{"properties", "testcase", "system-out", "system-err"},
		[]string{"name!", "tests!", "failures", "errors", "time", "disabled", "skipped", "timestamp", "hostname", "id", "package"}},
	"properties": {[]string{"property"}, nil},
	"property":   {nil, []string{"name!", "value!"}},
	"testcase":   {[]string{"skipped", "error", "failure", "system-out", "system-err"}, []string{"name!", "assertions", "time", "classname", "status"}},
	"failure":    {nil, []string{"message", "type"}},
	"error":      {nil, []string{"message", "type"}},
	"skipped":    {nil, []string{"message"}},
	"system-out": {nil, nil},
	"system-err": {nil, nil},
}

// checkJUnit walks the document and reports every departure from
// junitShape, and counts that disagree with the test cases.
func checkJUnit(doc []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var stack []string
	var errs []error
	type counts struct{ tests, failures, errors int }
	var suite, total counts
	var declared []map[string]string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			name := el.Name.Local
			shape, known := junitShape[name]
			switch {
			case !known:
				errs = append(errs, fmt.Errorf("unknown element <%s>", name))
			case len(stack) == 0 && name != "testsuites":
				errs = append(errs, fmt.Errorf("root is <%s>, want <testsuites>", name))
			case len(stack) > 0 && !slices.Contains(junitShape[stack[len(stack)-1]].children, name):
				errs = append(errs, fmt.Errorf("<%s> inside <%s>", name, stack[len(stack)-1]))
			}
			got := map[string]string{}
			for _, a := range el.Attr {
				got[a.Name.Local] = a.Value
				if !slices.Contains(shape.attrs, a.Name.Local) && !slices.Contains(shape.attrs, a.Name.Local+"!") {
					errs = append(errs, fmt.Errorf("<%s %s=...>: attribute not in the schema", name, a.Name.Local))
				}
			}
			for _, a := range shape.attrs {
				if req, ok := strings.CutSuffix(a, "!"); ok && got[req] == "" {
					errs = append(errs, fmt.Errorf("<%s> lacks %s", name, req))
				}
			}
			switch name {
			case "testsuites":
				declared = append(declared, got)
			case "testsuite":
				suite = counts{}
				declared = append(declared, got)
			case "testcase":
				suite.tests++
			case "failure":
				suite.failures++
			case "error":
				suite.errors++
			}
			stack = append(stack, name)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			if el.Name.Local == "testsuite" {
				errs = append(errs, compare(declared[len(declared)-1], suite.tests, suite.failures, suite.errors)...)
				total.tests += suite.tests
				total.failures += suite.failures
				total.errors += suite.errors
			}
		}
	}
	if len(declared) > 0 {
		errs = append(errs, compare(declared[0], total.tests, total.failures, total.errors)...)
	}
	return errors.Join(errs...)
}

func compare(attrs map[string]string, tests, failures, errs int) []error {
	var out []error
	for k, n := range map[string]int{"tests": tests, "failures": failures, "errors": errs} {
		if attrs[k] != strconv.Itoa(n) {
			out = append(out, fmt.Errorf("%s %q says %s=%q, counted %d", "suite", attrs["name"], k, attrs[k], n))
		}
	}
	return out
}

func TestJUnitShape(t *testing.T) {
	s, l := lateFailback(t)
	results := expect.Evaluate(s, l)
	runs := []Run{
		{Scenario: s, Ledger: l, Results: results, Driver: "process"},
		{Scenario: s, Ledger: l, Results: results, Driver: "docker", Err: errors.New("start node service: <no daemon> & co")},
	}
	var b bytes.Buffer
	if err := JUnit(&b, runs...); err != nil {
		t.Fatal(err)
	}
	doc := b.String()
	if err := checkJUnit(b.Bytes()); err != nil {
		t.Errorf("not the JUnit schema's shape:\n%v\n%s", err, doc)
	}
	for _, want := range []string{
		`<?xml version="1.0" encoding="UTF-8"?>`,
		`<testsuites name="failover-lab" tests="5" failures="2" errors="1" time="40.000">`,
		`<testsuite name="late-failback" tests="2" failures="1" errors="0" skipped="0" time="20.000" timestamp="2026-11-25T01:00:00">`,
		`<property name="driver" value="docker"></property>`,
		`<testcase name="{client_errors: 0}" classname="scenarios.late-failback" time="0"></testcase>`,
		`<failure message="160 of 174 answers from service (92.0%, want 100%); the others: 14× 503 from failover; settled 1.797s after fixed (allowed 1.5s)" type="expectation">`,
		`scenarios/late-failback.yaml:13: expect[1] {after: fixed, within: 1.5s, served_by: service} failed`, // the ASCII window travels with it
		`<error message="start node service: &lt;no daemon&gt; &amp; co" type="run">`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("junit.xml lacks %s", want)
		}
	}
}

// TestJUnitShapeCheckerCatches: the checker above is not vacuous.
func TestJUnitShapeCheckerCatches(t *testing.T) {
	for _, bad := range []string{
		`<testsuite name="x" tests="0"></testsuite>`,
		`<testsuites tests="1" failures="0" errors="0"><testsuite name="x" tests="1" failures="0" errors="0"><testcase classname="c"/></testsuite></testsuites>`,
		`<testsuites tests="1" failures="0" errors="0"><testsuite name="x" tests="2" failures="0" errors="0"><testcase name="a"/></testsuite></testsuites>`,
		`<testsuites tests="1" failures="0" errors="0"><testsuite name="x" tests="1" failures="0" errors="0"><testcase name="a" file="f"/></testsuite></testsuites>`,
	} {
		if checkJUnit([]byte(bad)) == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
