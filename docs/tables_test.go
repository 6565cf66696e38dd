package docs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/labs/scenario"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// TestTablesMatchVocabulary keeps docs/scenarios.md's listings of the
// expectation measures, the events and the fault kinds equal to the tables
// the lab uses (scenario.Measures, scenario.EventKinds, the labs/faults
// registry): the docs are generated from the tables, not copied from them.
func TestTablesMatchVocabulary(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(root, "docs", "scenarios.md"))
	if err != nil {
		t.Fatal(err)
	}
	for name, table := range map[string]string{"measures": scenario.MeasuresTable(), "events": scenario.EventsTable(), "faults": vocab.FaultsTable()} {
		if !strings.Contains(string(doc), table) {
			t.Errorf("docs/scenarios.md's %s table is not the lab's; paste this:\n%s", name, table)
		}
	}
}
