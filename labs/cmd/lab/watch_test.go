package main

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/load"
)

func TestWatchPipedWritesPlainLines(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Served-By", "service")
	}))
	defer srv.Close()

	// stdout is a pipe, as in `lab watch URL | tee log`.
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	var wg sync.WaitGroup
	wg.Go(func() { _, _ = io.Copy(&out, pr) })
	ledgerFile := filepath.Join(t.TempDir(), "ledger.jsonl")
	err = watchTo(t.Context(), []string{"-rate", "20", "-for", "1500ms", srv.URL + "/", "-ledger", ledgerFile}, pw)
	pw.Close()
	wg.Wait()
	pr.Close()
	if err != nil {
		t.Fatalf("watch: %v", err)
	}

	got := out.String()
	if strings.ContainsAny(got, "\x1b\r") {
		t.Errorf("piped output has escape codes or carriage returns:\n%q", got)
	}
	lines := strings.Split(strings.TrimSpace(got), "\n")
	// header, seconds 00:00 and 00:01 (00:02 too if the box is slow), summary.
	if len(lines) < 4 {
		t.Fatalf("got %d lines, want at least 4 (header, 2 seconds, summary):\n%s", len(lines), got)
	}
	if !strings.HasPrefix(lines[1], "00:00  service ") || !strings.Contains(lines[1], "×200 | failover 0 | proxy 0 | errors 0") {
		t.Errorf("first second: got %q, want the service answering 200s", lines[1])
	}
	m := regexp.MustCompile(`^total (\d+) requests: service (\d+)×200 \| errors 0$`).FindStringSubmatch(lines[len(lines)-1])
	if m == nil || m[1] != m[2] {
		t.Fatalf("summary: got %q, want every request answered 200 by the service", lines[len(lines)-1])
	}
	// 20/s for 1.5 s is 30 requests; a busy machine may stop a hair early.
	if n, _ := strconv.Atoi(m[1]); n < 27 || n > 30 {
		t.Errorf("summary counts %d requests, want 30 (27 on a busy machine)", n)
	}
	data, err := os.ReadFile(ledgerFile)
	if err != nil {
		t.Fatalf("-ledger: %v", err)
	}
	if got := strconv.Itoa(strings.Count(string(data), `"row":`)); got != m[1] {
		t.Errorf("-ledger file has %s rows, want %s", got, m[1])
	}
}

func TestWatcherRedrawsOnlyOnATerminal(t *testing.T) {
	for _, tty := range []bool{false, true} {
		var out bytes.Buffer
		l := ledger.New(time.Now())
		w := newWatcher(&out, tty, tty, l, newView(l.Start(), 20, []string{"service"}))
		l.Record(ledger.Row{Scheduled: l.Start(), Latency: time.Millisecond, Status: 200, ServedBy: "service"})
		w.tick(l.Start().Add(1500 * time.Millisecond))
		w.tick(l.Start().Add(1750 * time.Millisecond))
		w.flush()
		if has := strings.Contains(out.String(), "\x1b[K"); has != tty {
			t.Errorf("tty %v: redraw codes present %v, want %v:\n%q", tty, has, tty, out.String())
		}
		if !strings.Contains(out.String(), "00:00  service ") {
			t.Errorf("tty %v: no line for second 0:\n%q", tty, out.String())
		}
	}
}

func TestIsTerminal(t *testing.T) {
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	if isTerminal(pw) {
		t.Error("a pipe: got terminal, want not")
	}
	if isTerminal(&bytes.Buffer{}) {
		t.Error("a buffer: got terminal, want not")
	}
}

func TestParseWatch(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want error // nil: accepted
	}{
		{"flags after the URL", []string{"http://127.0.0.1:8080/", "-for", "10s"}, nil},
		{"flags before the URL", []string{"-rate", "50", "http://127.0.0.1:8080/"}, nil},
		{"no URL", []string{"-rate", "5"}, errUsage},
		{"another host", []string{"http://192.0.2.1:8080/"}, load.ErrNotLoopback},
		{"localhost by name", []string{"http://localhost:8080/"}, load.ErrNotLoopback},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseWatch(tt.args, io.Discard)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}
