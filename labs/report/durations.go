package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// DurationsVersion names the shape of durations.json.
const DurationsVersion = "failover-lab/durations/v1"

// DurationsFile is the file under a reports root that keeps how long each
// scenario ran last (`lab run`, go test ./scenarios/..., `lab report
// merge` update it), so shards can be balanced (labs/shard).
const DurationsFile = "durations.json"

// durationsJSON is durations.json: {"version": ..., "seconds": {"crash": 21.4, ...}}.
type durationsJSON struct {
	Version string             `json:"version"`
	Seconds map[string]float64 `json:"seconds"`
}

// ReadDurations reads a durations.json (ROOT/durations.json): scenario
// name → seconds. No file is no durations, not an error.
func ReadDurations(path string) (map[string]float64, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]float64{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	var d durationsJSON
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("report: %s: %w", path, err)
	}
	if d.Version != DurationsVersion {
		return nil, fmt.Errorf("report: %s: version: must be %s (got %q)", path, DurationsVersion, d.Version)
	}
	if d.Seconds == nil {
		d.Seconds = map[string]float64{}
	}
	return d.Seconds, nil
}

// UpdateDurations merges the runs' seconds into root/durations.json,
// keeping the scenarios they did not run.
func UpdateDurations(root string, results []Results) error {
	if len(results) == 0 {
		return nil
	}
	seconds, err := ReadDurations(filepath.Join(root, DurationsFile))
	if err != nil {
		seconds = map[string]float64{} // a broken file is replaced
	}
	for _, r := range results {
		if r.Seconds > 0 {
			seconds[r.Scenario] = r.Seconds
		}
	}
	b, err := json.MarshalIndent(durationsJSON{Version: DurationsVersion, Seconds: seconds}, "", "  ")
	if err != nil {
		return fmt.Errorf("report: durations: %w", err)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := os.WriteFile(filepath.Join(root, DurationsFile), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// resultsOf are the results of the index entries, by scenario name.
func resultsOf(entries []IndexEntry) []Results {
	out := make([]Results, 0, len(entries))
	for _, e := range entries {
		out = append(out, e.Results)
	}
	slices.SortFunc(out, func(a, b Results) int { return strings.Compare(a.Scenario, b.Scenario) })
	return out
}
