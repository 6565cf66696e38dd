package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestConform runs lab conform for real on the process driver: two small
// scenarios in front of the builtin proxy and nginx, and reads the matrix
// it wrote.
func TestConform(t *testing.T) {
	if testing.Short() {
		t.Skip("runs scenarios as local processes")
	}
	root := t.TempDir()
	var stdout, stderr strings.Builder
	err := conformTo(context.Background(), []string{"-driver", "process", "-kinds", "builtin,nginx", "-report", root,
		"testdata/tiny.yaml", "testdata/tiny-failover.yaml"}, &stdout, &stderr)
	// nginx OSS has no active checks: whether it fails back in time is the
	// comparison, not this test's business.
	if err != nil && !errors.Is(err, errFailed) {
		t.Fatalf("got %v, want nil or errFailed\n%s%s", err, stdout.String(), stderr.String())
	}
	md, err := os.ReadFile(filepath.Join(root, "matrix.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]string{}
	for line := range strings.SplitSeq(string(md), "\n") {
		if cells := strings.Split(line, " | "); len(cells) == 3 && strings.HasPrefix(line, "| ") {
			rows[strings.TrimPrefix(cells[0], "| ")] = []string{cells[1], strings.TrimSuffix(cells[2], " |")}
		}
	}
	want := map[string][]*regexp.Regexp{
		"scenario": {regexp.MustCompile(`^builtin$`), regexp.MustCompile(`^nginx$`)},
		"tiny": {regexp.MustCompile(`^\[pass\]\(builtin/tiny/index\.html\) · 0 errors$`),
			regexp.MustCompile(`^\[pass\]\(nginx/tiny/index\.html\) · 0 errors$`)},
		// Passive detection fails over on the first 500, a probe after the
		// 1 s hold-down fails back: figures well inside the expectations.
		"tiny-failover": {regexp.MustCompile(`^\[pass\]\(builtin/tiny-failover/index\.html\) · 0 errors · failover \d+ms · failback (\d+ms|1\.\d\ds)$`),
			regexp.MustCompile(`^\[(pass|FAIL 1 of 2)\]\(nginx/tiny-failover/index\.html\) · \d+ errors · failover (\d+ms|\d\.\d\ds|never) · failback (\d+ms|\d\.\d\ds|never)$`)},
		"**total**": {regexp.MustCompile(`^2 of 2 pass$`), regexp.MustCompile(`^[12] of 2 pass$`)},
	}
	for name, res := range want {
		got, ok := rows[name]
		if !ok {
			t.Errorf("matrix.md has no row %q:\n%s", name, md)
			continue
		}
		for i, re := range res {
			if !re.MatchString(got[i]) {
				t.Errorf("row %s, column %d: got %q, want %s", name, i+1, got[i], re)
			}
		}
	}
	if !strings.Contains(stdout.String(), "[pass]("+filepath.ToSlash(root)+"/builtin/tiny/index.html)") {
		t.Errorf("the printed matrix should link from the working directory:\n%s", stdout.String())
	}
	// Every link leads to that kind's run, which names its proxy.
	for _, kind := range []string{"builtin", "nginx"} {
		dir := filepath.Join(root, kind, "tiny-failover")
		var results struct {
			ProxyKind string `json:"proxy_kind"`
		}
		data, err := os.ReadFile(filepath.Join(dir, "results.json"))
		if err == nil {
			err = json.Unmarshal(data, &results)
		}
		if err != nil || results.ProxyKind != kind {
			t.Errorf("%s/results.json: got proxy_kind %q (%v), want %s", dir, results.ProxyKind, err, kind)
		}
		page, err := os.ReadFile(filepath.Join(dir, "index.html"))
		if err != nil || !strings.Contains(string(page), "· proxy "+kind+" ·") {
			t.Errorf("%s/index.html does not name proxy %s (%v)", dir, kind, err)
		}
	}
	page, err := os.ReadFile(filepath.Join(root, "index.html"))
	if err != nil || !strings.Contains(string(page), `href="nginx/tiny-failover/index.html"`) {
		t.Errorf("index.html does not link the runs (%v):\n%s", err, page)
	}
}

// A proxy the lab does not know is a column too: -proxy names a file with
// its image or command and config template (Caddy, run as a local program
// by the process driver).
func TestConformProxyFile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs scenarios as local processes")
	}
	if _, err := exec.LookPath("caddy"); err != nil {
		t.Skip("caddy is not installed: apt-get install caddy")
	}
	root := t.TempDir()
	var stdout, stderr strings.Builder
	err := conformTo(context.Background(), []string{"-driver", "process", "-kinds", "builtin", "-proxy", "../../../scenarios/proxies/caddy.yaml",
		"-report", root, "testdata/tiny.yaml", "testdata/tiny-tls.yaml"}, &stdout, &stderr)
	// The builtin proxy's TLS run is not this test's business.
	if err != nil && !errors.Is(err, errFailed) {
		t.Fatalf("got %v, want nil or errFailed\n%s%s", err, stdout.String(), stderr.String())
	}
	md, err := os.ReadFile(filepath.Join(root, "matrix.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| scenario | builtin | caddy |",
		"| tiny | [pass](builtin/tiny/index.html) · 0 errors | [pass](caddy/tiny/index.html) · 0 errors |",
		"| skipped: proxy.https: only with proxy kind builtin (got image failover-lab/products:local)",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("matrix.md lacks %q:\n%s", want, md)
		}
	}
	var results struct {
		ProxyKind string `json:"proxy_kind"`
	}
	data, err := os.ReadFile(filepath.Join(root, "caddy", "tiny", "results.json"))
	if err == nil {
		err = json.Unmarshal(data, &results)
	}
	if err != nil || results.ProxyKind != "image failover-lab/products:local" {
		t.Errorf("caddy/tiny/results.json: got proxy_kind %q (%v), want the image that gives the proxy", results.ProxyKind, err)
	}

	// Columns are named once; a proxy file is checked before anything runs.
	for _, args := range [][]string{
		{"-kinds", "", "testdata/tiny.yaml"},
		{"-proxy", "testdata/nope.yaml", "testdata/tiny.yaml"},
		{"-proxy", "../../../scenarios/proxies/caddy.yaml", "-proxy", "../../../scenarios/proxies/caddy.yaml", "testdata/tiny.yaml"},
	} {
		if err := conformTo(context.Background(), args, &stdout, &stderr); !errors.Is(err, errUsage) {
			t.Errorf("conform %v: got %v, want a usage error", args, err)
		}
	}
}
