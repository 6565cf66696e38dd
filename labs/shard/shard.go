// Package shard splits a suite of scenario files across CI machines: shard
// K of N runs its part, and every file lands in exactly one shard.
//
//	files ──sort by duration (longest first; name breaks ties)──▶ each in turn to the
//	        shard with the least total so far (lowest index breaks ties)
//
// The split is stable: the same files and durations give the same shards on
// every machine, whatever order the files were listed in. Durations come
// from the last run (reports/durations.json, report.ReadDurations); a file
// without one counts as the mean of the known ones, and with none known
// every file counts the same, which deals them out in name order.
//
// Settings come from where CI keeps them (STYLE 22): `-shard K/N`,
// LAB_SHARD=K/N, or GitLab's CI_NODE_INDEX/CI_NODE_TOTAL (parallel: N);
// cmd/lab and the scenario test read them and pass a Spec here.
package shard

import (
	"cmp"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ErrSpec is wrapped by every error of a shard setting.
var ErrSpec = errors.New("invalid shard")

// Spec is shard K of N, 1-based as CI systems count. The zero Spec is the
// whole suite.
type Spec struct{ K, N int }

// All reports whether s is the whole suite (no sharding).
func (s Spec) All() bool { return s.N <= 1 }

func (s Spec) String() string {
	if s.All() {
		return "1/1"
	}
	return fmt.Sprintf("%d/%d", s.K, s.N)
}

// Parse reads "K/N" (1 ≤ K ≤ N).
func Parse(v string) (Spec, error) {
	k, n, ok := strings.Cut(strings.TrimSpace(v), "/")
	if !ok {
		return Spec{}, fmt.Errorf("%w: must be K/N, e.g. 2/3 (got %q)", ErrSpec, v)
	}
	return of(k, n, v)
}

func of(k, n, v string) (Spec, error) {
	ki, kerr := strconv.Atoi(k)
	ni, nerr := strconv.Atoi(n)
	switch {
	case kerr != nil || nerr != nil:
		return Spec{}, fmt.Errorf("%w: must be K/N, whole numbers (got %q)", ErrSpec, v)
	case ni < 1 || ni > 1000:
		return Spec{}, fmt.Errorf("%w: N must be in 1..1000 (got %q)", ErrSpec, v)
	case ki < 1 || ki > ni:
		return Spec{}, fmt.Errorf("%w: K must be in 1..N (got %q)", ErrSpec, v)
	}
	return Spec{K: ki, N: ni}, nil
}

// Source names the settings FromSettings read, in their order of
// precedence.
type Source struct {
	Flag     string // -shard
	LabShard string // LAB_SHARD
	Index    string // CI_NODE_INDEX
	Total    string // CI_NODE_TOTAL
}

// FromSettings is the shard the settings ask for: the flag, else
// LAB_SHARD, else CI_NODE_INDEX/CI_NODE_TOTAL (both or neither), else
// the whole suite. The error names the setting.
func FromSettings(s Source) (Spec, error) {
	wrap := func(name string, sp Spec, err error) (Spec, error) {
		if err != nil {
			return Spec{}, fmt.Errorf("%s: %w", name, err)
		}
		return sp, nil
	}
	switch {
	case s.Flag != "":
		sp, err := Parse(s.Flag)
		return wrap("-shard", sp, err)
	case s.LabShard != "":
		sp, err := Parse(s.LabShard)
		return wrap("LAB_SHARD", sp, err)
	case s.Index != "" || s.Total != "":
		if s.Index == "" || s.Total == "" {
			return Spec{}, fmt.Errorf("CI_NODE_INDEX, CI_NODE_TOTAL: %w: set both or neither (got %q, %q)", ErrSpec, s.Index, s.Total)
		}
		sp, err := of(s.Index, s.Total, s.Index+"/"+s.Total)
		return wrap("CI_NODE_INDEX/CI_NODE_TOTAL", sp, err)
	}
	return Spec{}, nil
}

// Name is the key of a file in the durations: its scenario name, the base
// name without .yaml.
func Name(file string) string {
	return strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
}

// Split deals files into n shards (see the package doc); shard k is
// Split(...)[k-1]. Each shard keeps its files in the order given.
func Split(files []string, n int, seconds map[string]float64) [][]string {
	n = max(n, 1)
	known, sum := 0, 0.0
	for _, f := range files {
		if d, ok := seconds[Name(f)]; ok && d > 0 {
			known++
			sum += d
		}
	}
	guess := 1.0
	if known > 0 {
		guess = sum / float64(known)
	}
	weight := func(f string) float64 {
		if d, ok := seconds[Name(f)]; ok && d > 0 {
			return d
		}
		return guess
	}
	order := slices.Clone(files)
	slices.SortStableFunc(order, func(a, b string) int {
		return cmp.Or(cmp.Compare(weight(b), weight(a)), cmp.Compare(Name(a), Name(b)), cmp.Compare(a, b))
	})
	totals := make([]float64, n)
	shardOf := map[string]int{}
	for _, f := range order {
		i := slices.Index(totals, slices.Min(totals))
		shardOf[f] = i
		totals[i] += weight(f)
	}
	shards := make([][]string, n)
	for _, f := range files {
		shards[shardOf[f]] = append(shards[shardOf[f]], f)
	}
	return shards
}

// Of is the files of shard s: all of them for the whole suite.
func (s Spec) Of(files []string, seconds map[string]float64) []string {
	if s.All() {
		return files
	}
	return Split(files, s.N, seconds)[s.K-1]
}
