package scenario

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/labs"
)

var update = flag.Bool("update", false, "rewrite "+SchemaFile+" from the Go types")

// TestSchemaFileMatchesTypes keeps the shipped schema equal to the types:
// after changing a type, run go test ./labs/scenario -run Schema -update.
// TestProxyKindsEnum keeps the schema's list of proxy kinds the runtime's.
func TestProxyKindsEnum(t *testing.T) {
	f, _ := reflect.TypeFor[Proxy]().FieldByName("Kind")
	if got, want := f.Tag.Get("enum"), strings.Join(labs.ProxyKinds(), ","); got != want {
		t.Errorf("Proxy.Kind enum tag: got %q, want %q", got, want)
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
