package scenario

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/labs/vocab"
)

var update = flag.Bool("update", false, "rewrite "+SchemaFile+" from the Go types")

// TestSchemaFileMatchesTypes keeps the shipped schema equal to the types:
// after changing a type, run go test ./labs/scenario -run Schema -update.
// TestProxyKindsEnum keeps the schema's list of proxy kinds the vocabulary's.
func TestProxyKindsEnum(t *testing.T) {
	f, _ := reflect.TypeFor[vocab.ProxySpec]().FieldByName("Kind")
	want := make([]string, len(vocab.ProxyKinds))
	for i, k := range vocab.ProxyKinds {
		want[i] = string(k)
	}
	if got := f.Tag.Get("enum"); got != strings.Join(want, ",") {
		t.Errorf("ProxySpec.Kind enum tag: got %q, want %q", got, strings.Join(want, ","))
	}
}

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
