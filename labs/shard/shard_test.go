package shard

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Spec
		err  string
	}{
		{"1/3", Spec{1, 3}, ""},
		{" 3/3 ", Spec{3, 3}, ""},
		{"1/1", Spec{1, 1}, ""},
		{"0/3", Spec{}, "K must be in 1..N"},
		{"4/3", Spec{}, "K must be in 1..N"},
		{"1/0", Spec{}, "N must be in"},
		{"a/3", Spec{}, "whole numbers"},
		{"2", Spec{}, "must be K/N"},
		{"", Spec{}, "must be K/N"},
		{"1/3/4", Spec{}, "whole numbers"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if tt.err == "" && (err != nil || got != tt.want) {
			t.Errorf("Parse(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if tt.err != "" && (err == nil || !errors.Is(err, ErrSpec) || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("Parse(%q): got %v, want an ErrSpec saying %q", tt.in, err, tt.err)
		}
	}
}

func TestFromSettings(t *testing.T) {
	tests := []struct {
		name string
		src  Source
		want Spec
		err  string
	}{
		{"nothing: the whole suite", Source{}, Spec{}, ""},
		{"GitLab's parallel", Source{Index: "2", Total: "3"}, Spec{2, 3}, ""},
		{"LAB_SHARD over GitLab's", Source{LabShard: "1/2", Index: "2", Total: "3"}, Spec{1, 2}, ""},
		{"the flag over both", Source{Flag: "3/4", LabShard: "1/2", Index: "2", Total: "3"}, Spec{3, 4}, ""},
		{"half of GitLab's", Source{Index: "2"}, Spec{}, "CI_NODE_INDEX, CI_NODE_TOTAL"},
		{"a bad LAB_SHARD names it", Source{LabShard: "x"}, Spec{}, "LAB_SHARD: "},
		{"a bad flag names it", Source{Flag: "5/4"}, Spec{}, "-shard: "},
		{"a bad CI index", Source{Index: "0", Total: "3"}, Spec{}, "CI_NODE_INDEX/CI_NODE_TOTAL: "},
	}
	for _, tt := range tests {
		got, err := FromSettings(tt.src)
		if tt.err == "" && (err != nil || got != tt.want) {
			t.Errorf("%s: got %v, %v; want %v", tt.name, got, err, tt.want)
		}
		if tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("%s: got %v, want an error saying %q", tt.name, err, tt.err)
		}
	}
}

// The repository's own scenarios: for every N, every file is in exactly
// one shard, with and without durations, whatever order they are listed in.
func TestSplitPartitionsTheScenarios(t *testing.T) {
	files, err := filepath.Glob("../../scenarios/*.yaml")
	if err != nil || len(files) < 10 {
		t.Fatalf("scenarios: %v, %v", files, err)
	}
	seconds := map[string]float64{}
	for i, f := range files {
		if i%3 != 0 { // some known, some not
			seconds[Name(f)] = float64(5 + 7*i%23)
		}
	}
	reversed := slices.Clone(files)
	slices.Reverse(reversed)
	for _, d := range []map[string]float64{nil, seconds} {
		for n := 1; n <= len(files)+2; n++ {
			shards := Split(files, n, d)
			if len(shards) != n {
				t.Fatalf("n=%d: got %d shards", n, len(shards))
			}
			seen := map[string]int{}
			for k, sh := range shards {
				for _, f := range sh {
					seen[f]++
				}
				if got := (Spec{k + 1, n}).Of(files, d); !slices.Equal(got, sh) {
					t.Errorf("n=%d: Of(%d) = %v, want Split's %v", n, k+1, got, sh)
				}
				// The same shard from the files in another order.
				other := Split(reversed, n, d)[k]
				if !sameSet(other, sh) {
					t.Errorf("n=%d shard %d: depends on the order of the files: %v vs %v", n, k+1, other, sh)
				}
			}
			for _, f := range files {
				if seen[f] != 1 {
					t.Errorf("n=%d: %s is in %d shards, want 1", n, f, seen[f])
				}
			}
			if len(seen) != len(files) {
				t.Errorf("n=%d: %d files in the shards, want %d", n, len(seen), len(files))
			}
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// Durations balance: the long scenario gets a shard of its own; without
// durations, files are dealt out by name.
func TestSplitBalances(t *testing.T) {
	files := []string{"s/e.yaml", "s/d.yaml", "s/c.yaml", "s/b.yaml", "s/a.yaml"}
	got := Split(files, 2, map[string]float64{"a": 100, "b": 10, "c": 10, "d": 10, "e": 10})
	if want := [][]string{{"s/a.yaml"}, {"s/e.yaml", "s/d.yaml", "s/c.yaml", "s/b.yaml"}}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	// Unknown durations count as the mean of the known (here 40): a with
	// 100 alone, then b (unknown, 40) and the rest.
	got = Split(files, 2, map[string]float64{"a": 100, "c": 10, "d": 10})
	if want := [][]string{{"s/a.yaml"}, {"s/e.yaml", "s/d.yaml", "s/c.yaml", "s/b.yaml"}}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("with unknowns: got %v, want %v", got, want)
	}
	got = Split(files, 2, nil)
	if want := [][]string{{"s/e.yaml", "s/c.yaml", "s/a.yaml"}, {"s/d.yaml", "s/b.yaml"}}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("no durations: got %v, want %v", got, want)
	}
	if got := (Spec{}).Of(files, nil); !slices.Equal(got, files) {
		t.Errorf("the whole suite: got %v", got)
	}
}
