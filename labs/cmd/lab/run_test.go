package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunVerbRejectsABrokenScenario(t *testing.T) {
	file := filepath.Join(t.TempDir(), "x.yaml")
	src := "name: x\nabout: a\nnodes: {service: {fixture: app}}\nload: {rate: 5/s}\ntimeline:\n  - {at: 1s, name: b, fault: {node: servce, http: {status: 500}}}\n  - {at: 2s, end: true}\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut strings.Builder
	err := runTo(context.Background(), []string{file}, &out, &errOut)
	want := file + `:6:37: timeline[0].fault.node: no node named "servce" (did you mean "service"?)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func TestRunVerbUsage(t *testing.T) {
	var out, errOut strings.Builder
	if err := runTo(context.Background(), nil, &out, &errOut); !errors.Is(err, errUsage) {
		t.Errorf("got %v, want errUsage", err)
	}
}

// -proxy runs a scenario in front of the proxy a file gives: Caddy as a
// local program, its report naming it.
func TestRunVerbProxyFile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a scenario as local processes")
	}
	if _, err := exec.LookPath("caddy"); err != nil {
		t.Skip("caddy is not installed: apt-get install caddy")
	}
	dir := t.TempDir()
	var out, errOut strings.Builder
	err := runTo(context.Background(), []string{"-driver", "process", "-quiet", "-proxy", "../../../scenarios/proxies/caddy.yaml", "-report", dir, "testdata/tiny.yaml"}, &out, &errOut)
	if err != nil {
		t.Fatalf("got %v, want a pass\n%s%s", err, out.String(), errOut.String())
	}
	data, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil || !strings.Contains(string(data), `"proxy_kind": "image failover-lab/products:local"`) {
		t.Errorf("results.json does not name the proxy of the file (%v):\n%.400s", err, data)
	}
	for _, args := range [][]string{
		{"-kind", "nginx", "-proxy", "../../../scenarios/proxies/caddy.yaml", "testdata/tiny.yaml"},
		{"-proxy", "testdata/nope.yaml", "testdata/tiny.yaml"},
	} {
		if err := runTo(context.Background(), args, &out, &errOut); !errors.Is(err, errUsage) {
			t.Errorf("run %v: got %v, want a usage error", args, err)
		}
	}
}
