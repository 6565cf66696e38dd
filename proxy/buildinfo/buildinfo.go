// Package buildinfo says which build a binary is — module version, VCS
// commit, Go version — from the build information the Go toolchain embeds
// (runtime/debug.ReadBuildInfo), so no -ldflags stamping is needed and a
// `go install`ed binary reports the same as one built by make.
//
// `go build` in a git checkout records the commit and whether the tree was
// modified; `go run` and `go test` binaries have no commit and report
// version "(devel)".
package buildinfo

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// Info describes one build.
type Info struct {
	Version   string // main module version: a tag, a pseudo-version, or "(devel)"
	Commit    string // VCS revision, "" when the build recorded none
	Modified  bool   // the working tree had uncommitted changes
	GoVersion string // the toolchain that built the binary, e.g. go1.26.0
	Platform  string // GOOS/GOARCH
}

// Read returns the running binary's build information.
func Read() Info {
	i := Info{Version: "(devel)", GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return i
	}
	return fromBuildInfo(bi, i)
}

func fromBuildInfo(bi *debug.BuildInfo, i Info) Info {
	if v := bi.Main.Version; v != "" {
		i.Version = v
	}
	if bi.GoVersion != "" {
		i.GoVersion = bi.GoVersion
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			i.Commit = s.Value
		case "vcs.modified":
			i.Modified = s.Value == "true"
		}
	}
	return i
}

// CommitOrUnknown is the commit, "+dirty" when modified, or "unknown".
func (i Info) CommitOrUnknown() string {
	switch {
	case i.Commit == "":
		return "unknown"
	case i.Modified:
		return i.Commit + "+dirty"
	}
	return i.Commit
}

// Print writes what the `version` subcommand of every binary prints:
//
//	failover-proxy v0.0.0-20261202133000-70680c7f3a1b
//	commit  70680c7f3a1b...
//	go      go1.26.0 linux/amd64
func (i Info) Print(w io.Writer, name string) {
	fmt.Fprintf(w, "%s %s\ncommit  %s\ngo      %s %s\n", name, i.Version, i.CommitOrUnknown(), i.GoVersion, i.Platform)
}
