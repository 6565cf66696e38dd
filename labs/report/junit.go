package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
)

// JUnit writes runs as JUnit XML in the shape Jenkins, GitLab, GitHub
// Actions reporters and Surefire read: one <testsuite> per scenario run,
// one <testcase> per expectation (named after it, classname
// "scenarios.<scenario>"), a <failure> with the measured value and the
// ASCII window when it failed, and an extra "run" test case with an
// <error> when the run itself failed (the lab could not run it).
//
//	<testsuites name="failover-lab" tests=".." failures=".." errors=".." time="..">
//	  <testsuite name="primary-answers-500" tests="4" failures="0" errors="0" skipped="0" time="13.0" timestamp="...">
//	    <properties><property name="driver" value="docker"/>...</properties>
//	    <testcase name="failover time" classname="scenarios.primary-answers-500" time="0"/>
//	    <testcase name="failback time" classname="scenarios.primary-answers-500" time="0">
//	      <failure message="..." type="expectation">...</failure>
//	    </testcase>
func JUnit(w io.Writer, runs ...Run) error {
	suites := make([]suiteXML, 0, len(runs))
	for _, r := range runs {
		suites = append(suites, suiteOf(r))
	}
	return writeSuites(w, suites)
}

// writeSuites writes suites under one <testsuites> with their totals.
func writeSuites(w io.Writer, suites []suiteXML) error {
	root := suitesXML{Name: "failover-lab", Suites: suites}
	var total float64
	for _, s := range suites {
		root.Tests += s.Tests
		root.Failures += s.Failures
		root.Errors += s.Errors
		total += s.seconds
	}
	root.Time = seconds(total)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("report: junit: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(root); err != nil {
		return fmt.Errorf("report: junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

type suitesXML struct {
	XMLName  xml.Name   `xml:"testsuites"`
	Name     string     `xml:"name,attr"`
	Tests    int        `xml:"tests,attr"`
	Failures int        `xml:"failures,attr"`
	Errors   int        `xml:"errors,attr"`
	Time     string     `xml:"time,attr"`
	Suites   []suiteXML `xml:"testsuite"`
}

type suiteXML struct {
	Name       string        `xml:"name,attr"`
	Tests      int           `xml:"tests,attr"`
	Failures   int           `xml:"failures,attr"`
	Errors     int           `xml:"errors,attr"`
	Skipped    int           `xml:"skipped,attr"`
	Time       string        `xml:"time,attr"`
	Timestamp  string        `xml:"timestamp,attr"`
	Properties []propertyXML `xml:"properties>property"`
	Cases      []caseXML     `xml:"testcase"`
	seconds    float64
}

type propertyXML struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type caseXML struct {
	Name      string      `xml:"name,attr"`
	Classname string      `xml:"classname,attr"`
	Time      string      `xml:"time,attr"`
	Failure   *problemXML `xml:"failure"`
	Error     *problemXML `xml:"error"`
}

type problemXML struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func suiteOf(r Run) suiteXML {
	res := ResultsOf(r)
	s := suiteXML{Name: res.Scenario, Time: seconds(res.Seconds), seconds: res.Seconds,
		Timestamp: res.Started.Format("2006-01-02T15:04:05"),
		Properties: []propertyXML{{"file", res.File}, {"proxy_kind", res.ProxyKind}, {"driver", res.Driver},
			{"requests", strconv.Itoa(res.Requests.Total)}}}
	class := "scenarios." + res.Scenario
	for i, e := range res.Expectations {
		c := caseXML{Name: e.Name, Classname: class, Time: "0"}
		if !e.Pass {
			text := fmt.Sprintf("%s:%d: %s\nmeasured: %s\n", res.File, e.Line, e.Text, e.Measured)
			if i < len(r.Results) && r.Scenario != nil && r.Ledger != nil && r.Results[i].Window.From.Before(r.Results[i].Window.To) {
				text = Failure(r.Scenario, r.Ledger, r.Results[i])
			}
			c.Failure = &problemXML{Message: e.Measured, Type: "expectation", Text: text}
			s.Failures++
		}
		s.Cases = append(s.Cases, c)
	}
	if res.Error != "" {
		s.Cases = append(s.Cases, caseXML{Name: "run", Classname: class, Time: seconds(res.Seconds),
			Error: &problemXML{Message: res.Error, Type: "run", Text: res.Error}})
		s.Errors++
	}
	s.Tests = len(s.Cases)
	return s
}

// seconds writes a JUnit time attribute: seconds with millisecond precision.
func seconds(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) }
