package report

import (
	"fmt"
	"html"
	"math"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/labs/expect"
	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

// Plot geometry, in SVG user units.
const (
	plotLeft   = 90
	plotWidth  = 1000
	laneHeight = 22
	latHeight  = 160
	topMargin  = 34
)

// colours of status classes; the legend repeats them.
var classColour = map[string]string{
	"2xx": "#2e9e44", "3xx": "#3b7dd8", "4xx": "#e09a1a", "5xx": "#d33a2c", "err": "#222",
}

func statusClass(r ledger.Row) string {
	if r.Err != "" || r.Status == 0 {
		return "err"
	}
	switch {
	case r.Status >= 500:
		return "5xx"
	case r.Status >= 400:
		return "4xx"
	case r.Status >= 300:
		return "3xx"
	}
	return "2xx"
}

// timeline draws the run: a lane per answerer with a tick per request,
// fault spans and marks, the windows of failed expectations, and below it
// latency on a log scale.
func timeline(s *scenario.Scenario, l *ledger.Ledger, results []expect.Result) string {
	t := expect.TimesOf(s, l)
	rows := l.Rows()
	end := t.Start.Add(s.EndAt())
	for _, r := range rows {
		if r.Sent.After(end) {
			end = r.Sent
		}
	}
	span := end.Sub(t.Start) + time.Second
	x := func(at time.Time) float64 {
		return plotLeft + plotWidth*float64(at.Sub(t.Start)+500*time.Millisecond)/float64(span)
	}
	cols := columns(s, l)
	lane := map[string]int{}
	for i, c := range cols {
		lane[c] = i
	}
	lanesBottom := topMargin + laneHeight*len(cols)
	latTop := lanesBottom + 30
	height := latTop + latHeight + 30
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" font-family="sans-serif" font-size="11">`, plotLeft+plotWidth+20, height)
	faultSpans(&b, s, l, x, lanesBottom)
	for i, c := range cols {
		y := topMargin + laneHeight*i
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`, plotLeft, y, plotWidth, laneHeight-2, []string{"#f4f4f4", "#ececec"}[i%2])
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, plotLeft-6, y+15, html.EscapeString(c))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d">latency (log scale)</text>`, plotLeft, latTop-8)
	latY := func(d time.Duration) float64 { // 1ms at the bottom, 10s at the top
		ms := math.Max(float64(d)/float64(time.Millisecond), 1)
		return float64(latTop+latHeight) - float64(latHeight)*math.Min(math.Log10(ms)/4, 1)
	}
	for _, ms := range []int{1, 10, 100, 1000, 10000} {
		y := latY(time.Duration(ms) * time.Millisecond)
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end" fill="#777">%s</text>`,
			plotLeft, plotLeft+plotWidth, y, y, plotLeft-6, y+4, time.Duration(ms)*time.Millisecond)
	}
	for _, r := range rows {
		c := ledger.ServedByProxy
		if r.Err != "" || r.Status == 0 {
			c = "err"
		} else if _, ok := lane[r.ServedBy]; ok {
			c = r.ServedBy
		}
		colour := classColour[statusClass(r)]
		y := topMargin + laneHeight*lane[c]
		fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="1.2" height="%d" fill="%s"><title>%s %s %s</title></rect>`,
			x(r.Sent), y+2, laneHeight-6, colour, t.Rel(r.Sent), html.EscapeString(expect.Describe(r)), r.Latency.Round(time.Millisecond))
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="1.5" fill="%s" fill-opacity="0.6"/>`, x(r.Sent), latY(r.Latency), colour)
	}
	marks(&b, s, l, x, height)
	axis(&b, t.Start, span, x, height-12)
	failedWindows(&b, results, x, lanesBottom)
	b.WriteString(`</svg>`)
	return b.String()
}

// faultSpans shades each fault from its apply mark to its clear mark.
func faultSpans(b *strings.Builder, s *scenario.Scenario, l *ledger.Ledger, x func(time.Time) float64, bottom int) {
	end, _ := l.FindMark("end", ledger.MarkEvent)
	for _, m := range l.Marks() {
		if m.Kind != ledger.MarkApply {
			continue
		}
		to := end.At
		if c, ok := l.FindMark(m.Name, ledger.MarkClear); ok {
			to = c.At
		}
		if to.IsZero() || !to.After(m.At) {
			continue
		}
		fmt.Fprintf(b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="#d33a2c" fill-opacity="0.10"/>`,
			x(m.At), topMargin-4, x(to)-x(m.At), bottom-topMargin+4)
	}
}

// failedWindows outlines the window of each failed expectation under the
// lanes, labelled with its index and line.
func failedWindows(b *strings.Builder, results []expect.Result, x func(time.Time) float64, bottom int) {
	for i, r := range expect.Failed(results) {
		if r.Window.To.IsZero() {
			continue
		}
		y := bottom + 2 + 8*(i%3)
		fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#e09a1a" stroke-width="3"><title>%s</title></line>`,
			x(r.Window.From), x(r.Window.To), y, y, html.EscapeString(r.Measured))
		fmt.Fprintf(b, `<text x="%.1f" y="%d" fill="#b07000" font-size="9">expect[%d] line %d</text>`, x(r.Window.From)+2, y+9, r.Index, r.Pos.Line)
	}
}

// marks draws a dashed line and a label per ledger mark.
func marks(b *strings.Builder, s *scenario.Scenario, l *ledger.Ledger, x func(time.Time) float64, height int) {
	for i, m := range l.Marks() {
		if m.Name == scenario.Start {
			continue
		}
		colour := map[string]string{ledger.MarkApply: "#d33a2c", ledger.MarkClear: "#2e9e44"}[m.Kind]
		if colour == "" {
			colour = "#555"
		}
		fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="%s" stroke-dasharray="4 3"/>`, x(m.At), x(m.At), 14, height-24, colour)
		fmt.Fprintf(b, `<text x="%.1f" y="%d" fill="%s">%s</text>`, x(m.At)+3, 12+(i%2)*12, colour, html.EscapeString(markLabel(s, m)))
	}
}

// axis writes seconds along the bottom.
func axis(b *strings.Builder, start time.Time, span time.Duration, x func(time.Time) float64, y int) {
	step := time.Second
	if span > 30*time.Second {
		step = 5 * time.Second
	}
	for d := time.Duration(0); d < span; d += step {
		fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#777">%ds</text>`, x(start.Add(d)), y, int(d.Seconds()))
	}
}
