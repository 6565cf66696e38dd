package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestExitCodes runs the real binary, built here, on tiny scenarios with
// the process driver: the exit codes the package comment promises.
func TestExitCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds lab and runs scenarios as local processes")
	}
	lab := filepath.Join(t.TempDir(), "lab")
	if out, err := exec.Command("go", "build", "-o", lab, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	reports := t.TempDir()
	report := func(name string) string { return filepath.Join(reports, name) }
	tests := []struct {
		name           string
		args           []string
		code           int
		stdout, stderr string // substrings
	}{
		{"pass", []string{"run", "-quiet", "-report", report("pass"), "testdata/tiny.yaml"}, 0,
			"PASS tiny\n", ""},
		{"an expectation fails", []string{"run", "-quiet", "-report", report("fails"), "testdata/tiny-fails.yaml"}, 1,
			"FAIL testdata/tiny-fails.yaml:9 an error\n", "lab run: tiny-fails: 1 of 2 expectations failed\n"},
		{"a node does not start", []string{"run", "-quiet", "-report", report("cannot-start"), "testdata/tiny-cannot-start.yaml"}, 3,
			"report: ", "service exited (exit status 2)"},
		{"invalid file", []string{"run", "testdata/tiny.yaml", "testdata/invalid.yaml"}, 2,
			"", `lab run: testdata/invalid.yaml:7:42: timeline[0].fault.node: no node named "servce" (did you mean "service"?)` + "\n"},
		{"missing file", []string{"run", "testdata/nope.yaml"}, 2, "", "no such file"},
		{"no file", []string{"run", "-quiet"}, 2, "", "lab run: bad usage: no scenario file\nusage: lab run "},
		{"unknown flag", []string{"run", "-nope", "testdata/tiny.yaml"}, 2, "", "flag provided but not defined: -nope"},
		{"unknown proxy kind", []string{"run", "-kind", "caddy", "testdata/tiny.yaml"}, 2, "", `-kind: must be one of [apache builtin haproxy nginx] (got "caddy")`},
		{"a kind that cannot run the file", []string{"run", "-kind", "nginx", "testdata/tiny-tls.yaml"}, 2, "",
			"lab run: testdata/tiny-tls.yaml:3:16: proxy.https: only with proxy kind builtin (got nginx)"},
		{"unknown driver", []string{"run", "-driver", "nope", "testdata/tiny.yaml"}, 2, "", `LAB_DRIVER: must be one of`},
		{"-report with two files", []string{"run", "-report", report("two"), "testdata/tiny.yaml", "testdata/tiny-fails.yaml"}, 2, "", "-report is the directory of one scenario's report"},
		{"check", []string{"check", "testdata/tiny.yaml", "testdata/tiny-fails.yaml"}, 0,
			"testdata/tiny.yaml: ok\ntestdata/tiny-fails.yaml: ok\n", ""},
		{"check an invalid file", []string{"check", "testdata/invalid.yaml", "testdata/tiny.yaml"}, 2,
			"testdata/tiny.yaml: ok\n", "testdata/invalid.yaml:7:42: timeline[0].fault.node: no node named \"servce\" (did you mean \"service\"?)\nlab check: 1 of 2 files invalid\n"},
		{"check without a file", []string{"check"}, 2, "", "lab check: bad usage: no scenario file"},
		{"conform: an expectation fails", []string{"conform", "-kinds", "builtin", "-report", report("conform-fails"), "testdata/tiny-fails.yaml"}, 1,
			"[1/1] tiny-fails × builtin: FAIL 1 of 2: an error", "lab conform: 1 of 1 runs: expectations failed\n"},
		{"conform: a node does not start", []string{"conform", "-kinds", "builtin", "-report", report("conform-cannot-start"), "testdata/tiny-cannot-start.yaml"}, 3,
			"[1/1] tiny-cannot-start × builtin: error: ", "lab conform: 1 of 1 runs could not be made\n"},
		{"conform: the kind refuses it", []string{"conform", "-kinds", "nginx", "-report", report("conform-skips"), "testdata/tiny-tls.yaml"}, 0,
			"| tiny-tls | skipped: proxy.https: only with proxy kind builtin (got nginx)", ""},
		{"conform: invalid file", []string{"conform", "testdata/tiny.yaml", "testdata/invalid.yaml"}, 2,
			"", `lab conform: testdata/invalid.yaml:7:42: timeline[0].fault.node: no node named "servce"`},
		{"conform: unknown kind", []string{"conform", "-kinds", "builtin,caddy", "testdata/tiny.yaml"}, 2, "", `-kinds: each must be one of [apache builtin haproxy nginx] (got "caddy")`},
		{"conform: a kind twice", []string{"conform", "-kinds", "nginx,nginx", "testdata/tiny.yaml"}, 2, "", `-kinds: nginx twice`},
		{"conform: -parallel 0", []string{"conform", "-parallel", "0", "testdata/tiny.yaml"}, 2, "", `-parallel: must be at least 1 (got 0)`},
		{"conform: compose", []string{"conform", "-driver", "compose:x", "testdata/tiny.yaml"}, 2, "", `-driver: conform starts its own runs`},
		{"help", []string{"-h"}, 0, "", "  lab check FILE..."},
		{"run -h", []string{"run", "-h"}, 0, "", "usage: lab run [-driver"},
		{"check -h", []string{"check", "-h"}, 0, "", "usage: lab check FILE..."},
		{"watch -h", []string{"watch", "-h"}, 0, "", "  -rate int"},
		{"up -h", []string{"up", "-h"}, 0, "", "  -proxy string"},
		{"conform -h", []string{"conform", "-h"}, 0, "", "  -parallel int"},
		{"version -h", []string{"version", "-h"}, 0, "", "usage: lab version"},
		{"version", []string{"version"}, 0, "carries toxiproxy       v2.12.0", ""},
		{"serve an unknown program", []string{"serve", "nginx"}, 2, "", "lab serve: unknown program \"nginx\"\nprograms:\n  app "},
		{"serve a program's own exit code", []string{"serve", "healthcheck"}, 2, "", "usage: healthcheck URL"},
		{"serve a failing health check", []string{"serve", "healthcheck", "http://127.0.0.1:1/health"}, 1, "", "connection refused"},
		{"schema", []string{"schema"}, 0, `"title": "failover-lab outage scenario"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(lab, tt.args...)
			cmd.Env = append(os.Environ(), "LAB_DRIVER=process")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.code || !strings.Contains(stdout.String(), tt.stdout) || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("lab %s: got exit %d, want %d\nstdout (want %q):\n%s\nstderr (want %q):\n%s",
					strings.Join(tt.args, " "), code, tt.code, tt.stdout, stdout.String(), tt.stderr, stderr.String())
			}
		})
	}
	// Machines read the failing run: one test case per expectation.
	junit, err := os.ReadFile(filepath.Join(reports, "fails", "junit.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Count(string(junit), "<testcase "), 2; got != want {
		t.Errorf("junit.xml: got %d test cases, want %d:\n%s", got, want, junit)
	}
	if _, err := os.Stat(filepath.Join(reports, "two")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a usage error ran something: %v", err)
	}
}
