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
// TestEnumsFromTables: the schema lists each closed set from its table,
// not from a copy.
func TestEnumsFromTables(t *testing.T) {
	props := func(m any, keys ...string) map[string]any {
		for _, k := range keys {
			m = m.(map[string]any)[k]
		}
		return m.(map[string]any)
	}
	s := Schema()
	node := props(s, "properties", "nodes", "additionalProperties", "properties")
	load := props(s, "properties", "load", "properties")
	proxy := props(s, "properties", "proxy", "properties")
	for _, tt := range []struct {
		name string
		got  any
		want []string
	}{
		{"role", node["role"].(map[string]any)["enum"], vocab.Role("").Enum()},
		{"fixture", node["fixture"].(map[string]any)["enum"], vocab.Fixture("").Enum()},
		{"proxy.kind", proxy["kind"].(map[string]any)["enum"], vocab.ProxyKind("").Enum()},
		{"load.method", load["method"].(map[string]any)["enum"], Method("").Enum()},
		{"load.malformed", load["malformed"].(map[string]any)["enum"], Malformed("").Enum()},
	} {
		if !reflect.DeepEqual(tt.got, tt.want) || len(tt.want) == 0 {
			t.Errorf("%s: schema enum %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if got, want := strings.Join(vocab.ProxyKind("").Enum(), ","), "apache,builtin,haproxy,nginx"; got != want {
		t.Errorf("proxy kinds %s, want %s", got, want)
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
