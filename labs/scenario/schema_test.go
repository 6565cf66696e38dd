package scenario

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite "+SchemaFile+" from the Go types")

// TestSchemaFileMatchesTypes keeps the shipped schema equal to the types:
// after changing a type, run go test ./labs/scenario -run Schema -update.
func TestSchemaFileMatchesTypes(t *testing.T) {
	path := filepath.Join("..", "..", SchemaFile)
	got := SchemaJSON()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read schema: %v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale: run go test ./labs/scenario -run Schema -update", SchemaFile)
	}
}
