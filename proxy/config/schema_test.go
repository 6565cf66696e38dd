package config

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite "+SchemaFile+" from the Go types")

// TestSchemaFileMatchesTypes keeps the shipped schema equal to the types:
// after changing a type or a field's doc comment, run
// go test ./proxy/config -run SchemaFile -update.
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
		t.Errorf("%s is stale: run go test ./proxy/config -run SchemaFile -update", SchemaFile)
	}
}

// TestDurationPattern: the schema accepts what the parser accepts ("0"
// included) and rejects what it rejects.
func TestDurationPattern(t *testing.T) {
	re := regexp.MustCompile(DurationPattern)
	for _, s := range []string{"0", "0s", "5s", "1.5s", ".5s", "1h2m3s", "100ms", "1µs", "5", "-1s", "s", "", "1.s", "5 s", "1d"} {
		_, err := time.ParseDuration(s)
		parses := err == nil && !strings.HasPrefix(s, "-")
		if got := re.MatchString(s); got != parses {
			t.Errorf("%q: pattern matches %v, want %v (time.ParseDuration: %v)", s, got, parses, err)
		}
	}
}
