package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SetVersion names the shape of a merged results.json.
const SetVersion = "failover-lab/results-set/v1"

// Set is the results.json of a merge: every scenario of every shard.
type Set struct {
	Version   string    `json:"version"`
	Pass      bool      `json:"pass"`
	Passed    int       `json:"passed"`
	Failed    int       `json:"failed"`
	Scenarios []Results `json:"scenarios"` // by name
}

// Merge joins reports roots (each a `lab run` or go test reports
// directory of one shard: NAME/results.json, NAME/junit.xml, ...) into
// out: each scenario's directory copied to out/NAME/, and across them one
// out/index.html, one out/junit.xml (every scenario's test suite, every
// expectation a test case), one out/results.json (a Set) and
// out/durations.json. A scenario found in two roots is an error: shards
// never overlap. out may be one of the roots.
func Merge(out string, roots []string, generated time.Time) (Set, error) {
	var entries []IndexEntry
	var suites []suiteXML
	from := map[string]string{} // scenario dir → root
	for _, root := range roots {
		found, err := filepath.Glob(filepath.Join(root, "*", "results.json"))
		if err != nil {
			return Set{}, fmt.Errorf("report: merge: %w", err)
		}
		if _, err := os.Stat(root); err != nil {
			return Set{}, fmt.Errorf("report: merge: %w", err)
		}
		for _, path := range found {
			dir := filepath.Base(filepath.Dir(path))
			if prev, ok := from[dir]; ok {
				return Set{}, fmt.Errorf("report: merge: scenario %s is in both %s and %s (shards never overlap)", dir, prev, root)
			}
			from[dir] = root
			e, s, err := readScenarioDir(filepath.Dir(path))
			if err != nil {
				return Set{}, err
			}
			e.Dir = dir
			entries = append(entries, e)
			suites = append(suites, s...)
			if err := copyDir(filepath.Dir(path), filepath.Join(out, dir)); err != nil {
				return Set{}, err
			}
		}
	}
	if len(entries) == 0 {
		return Set{}, fmt.Errorf("report: merge: no scenario reports (NAME/results.json) under %v", roots)
	}
	slices.SortFunc(entries, func(a, b IndexEntry) int { return strings.Compare(a.Dir, b.Dir) })
	set := Set{Version: SetVersion, Scenarios: resultsOf(entries)}
	for _, r := range set.Scenarios {
		if r.Pass {
			set.Passed++
		} else {
			set.Failed++
		}
	}
	set.Pass = set.Failed == 0
	return set, writeMerged(out, generated, entries, suites, set)
}

// readScenarioDir reads one scenario's results.json and the test suites
// of its junit.xml.
func readScenarioDir(dir string) (IndexEntry, []suiteXML, error) {
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		return IndexEntry{}, nil, fmt.Errorf("report: merge: %w", err)
	}
	var r Results
	if err := json.Unmarshal(b, &r); err != nil {
		return IndexEntry{}, nil, fmt.Errorf("report: merge: %s: %w", filepath.Join(dir, "results.json"), err)
	}
	if r.Version != ResultsVersion {
		return IndexEntry{}, nil, fmt.Errorf("report: merge: %s: version: must be %s (got %q)", filepath.Join(dir, "results.json"), ResultsVersion, r.Version)
	}
	jpath := filepath.Join(dir, "junit.xml")
	jb, err := os.ReadFile(jpath)
	if err != nil {
		return IndexEntry{}, nil, fmt.Errorf("report: merge: %w", err)
	}
	var root suitesXML
	if err := xml.Unmarshal(jb, &root); err != nil {
		return IndexEntry{}, nil, fmt.Errorf("report: merge: %s: %w", jpath, err)
	}
	for i := range root.Suites {
		root.Suites[i].seconds, _ = strconv.ParseFloat(root.Suites[i].Time, 64)
	}
	return IndexEntry{Results: r}, root.Suites, nil
}

func writeMerged(out string, generated time.Time, entries []IndexEntry, suites []suiteXML, set Set) error {
	var page, junit, results bytes.Buffer
	if err := Index(&page, generated, entries); err != nil {
		return err
	}
	if err := writeSuites(&junit, suites); err != nil {
		return err
	}
	enc := json.NewEncoder(&results)
	enc.SetIndent("", "  ")
	if err := enc.Encode(set); err != nil {
		return fmt.Errorf("report: merge: %w", err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("report: merge: %w", err)
	}
	for name, data := range map[string][]byte{"index.html": page.Bytes(), "junit.xml": junit.Bytes(), "results.json": results.Bytes()} {
		if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
			return fmt.Errorf("report: merge: %w", err)
		}
	}
	return UpdateDurations(out, set.Scenarios)
}

// copyDir copies the regular files of src (recursively) into dst, unless
// they are the same directory.
func copyDir(src, dst string) error {
	if same, err := sameDir(src, dst); err != nil || same {
		return err
	}
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case !d.Type().IsRegular():
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}

func sameDir(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, fmt.Errorf("report: merge: %w", err)
	}
	sb, err := os.Stat(b)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("report: merge: %w", err)
	}
	return os.SameFile(sa, sb), nil
}
