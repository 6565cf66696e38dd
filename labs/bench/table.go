package main

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/failover-lab/failover-lab/labs/vocab"
)

// writeRounds prints, per proxy, the median of each figure over the
// rounds and the median of its per-round ratios to the first row (the
// reference, failover-proxy), with their spread (lowest-highest): a ratio
// is measured within one round, minutes apart at most, so it moves less
// than the absolute figures on a shared machine. A req/s ratio above 1 is
// more throughput than the reference; a latency ratio below 1 is faster.
// CPU/req is the CPU time (user + system) of the proxy's whole process
// group per request answered in the round, from /proc: below 1, cheaper.
func writeRounds(w io.Writer, rounds [][]row) {
	if len(rounds) == 0 || len(rounds[0]) == 0 {
		fmt.Fprintln(w, "no proxy measured")
		return
	}
	refName := name(rounds[0][0].kind)
	fmt.Fprintf(w, "medians over %d rounds; ratios to %s in the same round: median (lowest-highest)\n", len(rounds), refName)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "proxy\treq/s\tratio\tp50\tratio\tp99\tratio\tCPU/req\tratio\terrors\n")
	for k := range rounds[0] {
		var rps, p50, p99, cpu, rr, r50, r99, rc []float64
		errs := 0
		for _, round := range rounds {
			r, ref := round[k], round[0]
			rps, p50, p99 = append(rps, r.rps), append(p50, float64(r.p50)), append(p99, float64(r.p99))
			cpu = append(cpu, float64(r.cpu))
			rr = append(rr, div(r.rps, ref.rps))
			r50 = append(r50, div(float64(r.p50), float64(ref.p50)))
			r99 = append(r99, div(float64(r.p99), float64(ref.p99)))
			rc = append(rc, div(float64(r.cpu), float64(ref.cpu)))
			errs += r.non2xx
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", name(rounds[0][k].kind),
			median(rps), spread(rr), latency(time.Duration(median(p50))), spread(r50),
			latency(time.Duration(median(p99))), spread(r99),
			latency(time.Duration(median(cpu))), spread(rc), errs)
	}
	tw.Flush()
}

// writeMany prints the many-connections round: throughput, p99 and the
// peak RSS of each proxy.
func writeMany(w io.Writer, rows []row) {
	if len(rows) == 0 {
		return
	}
	ref := rows[0]
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "proxy\treq/s\tratio\tp99\tCPU/req\tRSS\terrors\n")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%s\t%s\t%.1f MiB\t%d\n", name(r.kind), r.rps, ratio(r.rps, ref.rps),
			latency(r.p99), latency(r.cpu), float64(r.rss)/(1<<20), r.non2xx)
	}
	tw.Flush()
}

func div(v, ref float64) float64 {
	if ref == 0 {
		return 0
	}
	return v / ref
}

// median of vs (the lower middle for an even count); 0 for none.
func median(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

// spread is "1.23x (1.10-1.40)": the median ratio and the lowest and
// highest; one round shows only its ratio.
func spread(rs []float64) string {
	if len(rs) == 1 {
		return fmt.Sprintf("%.2fx", rs[0])
	}
	return fmt.Sprintf("%.2fx (%.2f-%.2f)", median(rs), slices.Min(rs), slices.Max(rs))
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

// name is how the tables call a proxy kind.
func name(kind string) string {
	if kind == string(vocab.ProxyBuiltin) {
		return "failover-proxy"
	}
	return kind
}
