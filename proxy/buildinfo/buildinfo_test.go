package buildinfo

import (
	"bytes"
	"runtime/debug"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	base := Info{Version: "(devel)", GoVersion: "go0", Platform: "linux/amd64"}
	tests := []struct {
		name       string
		bi         debug.BuildInfo
		wantVer    string
		wantCommit string
		wantGo     string
	}{
		{name: "go run: nothing recorded", bi: debug.BuildInfo{}, wantVer: "(devel)", wantCommit: "unknown", wantGo: "go0"},
		{name: "go build in a clean checkout", bi: debug.BuildInfo{GoVersion: "go1.26.0",
			Main:     debug.Module{Version: "v0.0.0-20261202133000-70680c7f3a1b"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "70680c7f"}, {Key: "vcs.modified", Value: "false"}}},
			wantVer: "v0.0.0-20261202133000-70680c7f3a1b", wantCommit: "70680c7f", wantGo: "go1.26.0"},
		{name: "modified tree", bi: debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "true"}}},
			wantVer: "(devel)", wantCommit: "abc+dirty", wantGo: "go1.26.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fromBuildInfo(&tt.bi, base)
			if got.Version != tt.wantVer || got.CommitOrUnknown() != tt.wantCommit || got.GoVersion != tt.wantGo {
				t.Errorf("got %q %q %q, want %q %q %q", got.Version, got.CommitOrUnknown(), got.GoVersion, tt.wantVer, tt.wantCommit, tt.wantGo)
			}
		})
	}
}

func TestPrint(t *testing.T) {
	var b bytes.Buffer
	Info{Version: "v1.2.3", Commit: "abc", GoVersion: "go1.26.0", Platform: "linux/amd64"}.Print(&b, "app")
	want := "app v1.2.3\ncommit  abc\ngo      go1.26.0 linux/amd64\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
