package conformance

import (
	"fmt"
	"io"
	"net/url"
	"path"
	"strings"
)

// Markdown writes the matrix as a GitHub table, with a line saying what
// produced it and a legend. Links to the runs' reports are prefixed with
// base ("" from the matrix's folder, "reports/conformance" from the
// directory lab conform ran in).
func (m *Matrix) Markdown(w io.Writer, base string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Conformance on the %s driver, %s: `%s`\n\n", m.Driver, m.Generated.UTC().Format("2006-01-02"), m.Command)
	b.WriteString("| scenario |")
	for _, k := range m.Columns {
		fmt.Fprintf(&b, " %s |", k)
	}
	b.WriteString("\n| --- |" + strings.Repeat(" --- |", len(m.Columns)) + "\n")
	for _, r := range m.Rows {
		fmt.Fprintf(&b, "| %s |", escapeMD(r.Scenario))
		for _, c := range r.Cells {
			fmt.Fprintf(&b, " %s |", c.markdown(base))
		}
		b.WriteString("\n")
	}
	b.WriteString("| **total** |")
	for i := range m.Columns {
		fmt.Fprintf(&b, " %s |", m.Tally(i))
	}
	b.WriteString("\n\n" + legend + "\n")
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("conformance: markdown: %w", err)
	}
	return nil
}

// legend explains a cell, under both renderings.
const legend = "A cell: the verdict, linked to the run's report (FAIL n of m: n of its m expectations failed; " +
	"error: the run could not be made; skipped: the driver or kind refuses the scenario); " +
	"errors: requests a client saw fail over the whole run (no answer, or a 5xx not from a standby); " +
	"failover: how long after a fault the answers settled away from the broken node, failback: how long after a clear they settled back, " +
	"as the scenario's first such served_by expectations measured them (never: they did not settle within the window; absent: the scenario measures none)."

// markdown is one cell: "[pass](crash/index.html) · 0 errors · failover 12ms · failback 1.21s".
func (c Cell) markdown(base string) string {
	verdict := string(c.Verdict)
	if c.Verdict == Fail {
		verdict = fmt.Sprintf("FAIL %d of %d", c.Failed, c.Expectations)
	}
	if c.Report != "" {
		verdict = fmt.Sprintf("[%s](%s)", verdict, link(base, c.Report))
	}
	if c.Verdict == Skipped || c.Verdict == Error || c.Verdict == NotJudged {
		return verdict + ": " + escapeMD(c.Why)
	}
	parts := []string{verdict, errorCount(c.ClientErrors)}
	if c.Failover.Measured {
		parts = append(parts, "failover "+c.Failover.String())
	}
	if c.Failback.Measured {
		parts = append(parts, "failback "+c.Failback.String())
	}
	return strings.Join(parts, " · ")
}

// link joins base and a report path and escapes it for a Markdown link.
func link(base, rel string) string {
	u := url.URL{Path: path.Join(base, rel)}
	return u.EscapedPath()
}

// escapeMD keeps text from breaking the table or turning into markup.
var escapeMD = strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "\n", " ", "*", `\*`, "_", `\_`, "`", "'", "[", `\[`, "]", `\]`).Replace

// errorCount is "1 error", "37 errors".
func errorCount(n int) string {
	if n == 1 {
		return "1 error"
	}
	return fmt.Sprintf("%d errors", n)
}
