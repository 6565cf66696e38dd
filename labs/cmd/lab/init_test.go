package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/labs/scenario"
)

// lab init writes a starter that checks, whose schema hint names the
// schema written next to it, and never overwrites a file.
func TestInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "failover")
	if err := initDir(dir, io.Discard); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, starterFile)
	if _, err := scenario.ParseFile(file); err != nil {
		t.Errorf("the starter does not check: %v", err)
	}
	data, _ := os.ReadFile(file)
	if first, _, _ := strings.Cut(string(data), "\n"); first != "# yaml-language-server: $schema="+schemaFile {
		t.Errorf("first line %q, want the schema hint naming %s", first, schemaFile)
	}
	if schema, err := os.ReadFile(filepath.Join(dir, schemaFile)); err != nil || string(schema) != string(scenario.SchemaJSON()) {
		t.Errorf("%s: got %d bytes, %v; want lab schema's output", schemaFile, len(schema), err)
	}
	os.WriteFile(file, []byte("mine\n"), 0o644)
	os.Remove(filepath.Join(dir, schemaFile))
	var invalid invalidError
	if err := initDir(dir, io.Discard); !errors.As(err, &invalid) || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("init over a file: got %v, want an invalid-input error saying it exists", err)
	}
	if data, _ := os.ReadFile(file); string(data) != "mine\n" {
		t.Errorf("init overwrote the user's file: %q", data)
	}
	if _, err := os.Stat(filepath.Join(dir, schemaFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused init wrote the schema: %v", err)
	}
}
