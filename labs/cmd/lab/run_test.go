package main

import (
	"context"
	"errors"
	"os"
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
