package main

import (
	"fmt"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"io"
	"text/tabwriter"
	"time"
)

// writeTable prints the rows with their ratios to the first row (the
// reference, failover-proxy): throughput ×, latency ×. A ratio above 1
// means more requests per second, or slower answers.
func writeTable(w io.Writer, rows []row) {
	if len(rows) == 0 {
		fmt.Fprintln(w, "no proxy measured")
		return
	}
	ref := rows[0]
	refName := name(ref.kind)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "ratios to %s: req/s above 1 = more throughput, latency below 1 = faster answers\n", refName)
	fmt.Fprintf(tw, "proxy\treq/s\tratio\tp50\tratio\tp99\tratio\terrors\n")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%s\t%s\t%s\t%s\t%d\n", name(r.kind),
			r.rps, ratio(r.rps, ref.rps),
			latency(r.p50), ratio(float64(r.p50), float64(ref.p50)),
			latency(r.p99), ratio(float64(r.p99), float64(ref.p99)),
			r.non2xx)
	}
	tw.Flush()
}

func ratio(v, ref float64) string {
	if ref == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", v/ref)
}

// latency rounds to three significant places: 93µs, 1.24ms.
func latency(d time.Duration) string {
	switch {
	case d >= 100*time.Millisecond:
		return d.Round(time.Millisecond).String()
	case d >= 10*time.Millisecond:
		return d.Round(100 * time.Microsecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}

// name is how the table calls a proxy kind.
func name(kind string) string {
	if kind == string(vocab.ProxyBuiltin) {
		return "failover-proxy"
	}
	return kind
}
