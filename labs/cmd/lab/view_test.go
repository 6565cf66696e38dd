package main

import (
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

// rowsIn returns n rows that arrive during second sec of a run started at start.
func rowsIn(start time.Time, sec, n int, r ledger.Row) []ledger.Row {
	rows := make([]ledger.Row, n)
	for i := range rows {
		r.Scheduled = start.Add(time.Duration(sec)*time.Second + time.Duration(i)*time.Second/time.Duration(n+1))
		r.Latency = time.Millisecond
		rows[i] = r
	}
	return rows
}

func TestViewLine(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ok := func(by string) ledger.Row { return ledger.Row{Status: 200, ServedBy: by} }
	full := strings.Repeat("█", 20)
	tests := []struct {
		name string
		sec  int
		rows []ledger.Row
		want string
	}{
		{
			name: "basic setup: the service answers everything",
			sec:  12, rows: rowsIn(start, 12, 20, ok("service")),
			want: "00:12  service " + full + " 20×200 | failover 0 | proxy 0 | errors 0",
		},
		{
			name: "error detected: the failover answers",
			sec:  13, rows: rowsIn(start, 13, 20, ok("failover")),
			want: "00:13  service 0 | failover " + full + " 20×200 | proxy 0 | errors 0",
		},
		{
			name: "half and half, and a 500 let through",
			sec:  14,
			rows: append(append(rowsIn(start, 14, 9, ok("service")), rowsIn(start, 14, 1, ledger.Row{Status: 500, ServedBy: "service"})...),
				rowsIn(start, 14, 10, ok("failover"))...),
			want: "00:14  service ██████████ 9×200 1×500 | failover ██████████ 10×200 | proxy 0 | errors 0",
		},
		{
			name: "nothing usable: the proxy answers 503, some connections refused",
			sec:  75,
			rows: append(rowsIn(start, 75, 15, ledger.Row{Status: 503, ServedBy: ledger.ServedByProxy}),
				rowsIn(start, 75, 5, ledger.Row{Err: ledger.ErrRefused})...),
			want: "01:15  service 0 | failover 0 | proxy ███████████████ 15×503 | errors █████ 5×refused",
		},
		{
			name: "an unknown node gets its own column",
			sec:  0, rows: rowsIn(start, 0, 2, ok("app-2")),
			want: "00:00  service 0 | failover 0 | proxy 0 | app-2 ██ 2×200 | errors 0",
		},
		{
			name: "a quiet second",
			sec:  3661,
			want: "1:01:01  service 0 | failover 0 | proxy 0 | errors 0",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newView(start, 20, []string{"service", "failover", "proxy"})
			for _, r := range tt.rows {
				v.add(v.arrival(r), r)
			}
			if got := v.line(tt.sec, false); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestViewBucketsByArrival(t *testing.T) {
	start := time.Now()
	v := newView(start, 20, nil)
	// Scheduled in second 0, timed out 1.5 s later: it belongs to second 1.
	r := ledger.Row{Scheduled: start.Add(900 * time.Millisecond), Latency: 1500 * time.Millisecond, Err: ledger.ErrTimeout}
	if got := v.arrival(r); got != 2 {
		t.Errorf("arrival of a row scheduled at 0.9s with 1.5s latency: got second %d, want 2", got)
	}
}

func TestViewLineColorsOnlyWhenAsked(t *testing.T) {
	start := time.Now()
	v := newView(start, 20, []string{"service"})
	for _, r := range rowsIn(start, 0, 3, ledger.Row{Status: 500, ServedBy: "service"}) {
		v.add(0, r)
	}
	if plain := v.line(0, false); strings.Contains(plain, "\x1b") {
		t.Errorf("plain line has an escape code: %q", plain)
	}
	if colored := v.line(0, true); !strings.Contains(colored, red) {
		t.Errorf("colored line of 500s is not red: %q", colored)
	}
}
