package docs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/labs/scenario"
)

// TestTablesMatchVocabulary keeps docs/scenarios.md's listing of the
// expectation measures equal to the table the lab uses (scenario.Measures):
// the docs are generated from the table, not copied from it.
func TestTablesMatchVocabulary(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(root, "docs", "scenarios.md"))
	if err != nil {
		t.Fatal(err)
	}
	for name, table := range map[string]string{"measures": scenario.MeasuresTable()} {
		if !strings.Contains(string(doc), table) {
			t.Errorf("docs/scenarios.md's %s table is not the lab's; paste this:\n%s", name, table)
		}
	}
}
