package main

import (
	"os"

	"github.com/failover-lab/failover-lab/labs/report"
	"github.com/failover-lab/failover-lab/labs/scenario"
	"github.com/failover-lab/failover-lab/labs/shard"
)

// cliShard is the shard -shard names, else LAB_SHARD, else GitLab's
// CI_NODE_INDEX/CI_NODE_TOTAL, else the whole suite.
func cliShard(flag string) (shard.Spec, error) {
	return shard.FromSettings(shard.Source{Flag: flag, LabShard: os.Getenv("LAB_SHARD"),
		Index: os.Getenv("CI_NODE_INDEX"), Total: os.Getenv("CI_NODE_TOTAL")})
}

// shardOf keeps the scenarios of shard sh, balanced by the durations
// file of an earlier run.
func shardOf(sh shard.Spec, ss []*scenario.Scenario, durations string) ([]*scenario.Scenario, error) {
	if sh.All() {
		return ss, nil
	}
	seconds, err := report.ReadDurations(durations)
	if err != nil {
		return nil, err
	}
	files := make([]string, len(ss))
	byFile := map[string]*scenario.Scenario{}
	for i, s := range ss {
		files[i] = s.File
		byFile[s.File] = s
	}
	var out []*scenario.Scenario
	for _, f := range sh.Of(files, seconds) {
		out = append(out, byFile[f])
	}
	return out, nil
}
