package buildinfo

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestVersionSubcommand builds every binary of the module with `go build`
// (as make and go install do) and runs `NAME version`: the first line names
// the binary and a version, the commit is the vcs.revision the toolchain
// recorded (`go version -m`; none under GOFLAGS=-buildvcs=false, as on the
// project's machines), and the Go version is a release.
func TestVersionSubcommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds five binaries")
	}
	dir := t.TempDir()
	for _, tt := range []struct{ name, pkg string }{
		{"failover-proxy", "../cmd/failover-proxy"},
		{"app", "../../fixtures/cmd/app"},
		{"errorpage", "../../fixtures/cmd/errorpage"},
		{"lab", "../../labs/cmd/lab"},
		{"images", "../../fixtures/cmd/images"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			bin := filepath.Join(dir, tt.name)
			if out, err := exec.Command("go", "build", "-o", bin, tt.pkg).CombinedOutput(); err != nil {
				t.Fatalf("go build %s: %v\n%s", tt.pkg, err, out)
			}
			out, err := exec.Command(bin, "version").Output()
			if err != nil {
				t.Fatalf("%s version: %v", tt.name, err)
			}
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			if len(lines) != 3 {
				t.Fatalf("got %d lines, want 3:\n%s", len(lines), out)
			}
			if !regexp.MustCompile(`^` + tt.name + ` (v\S+|\(devel\))$`).MatchString(lines[0]) {
				t.Errorf("got first line %q, want %q and a version", lines[0], tt.name)
			}
			if want := "commit  " + recordedCommit(t, bin); lines[1] != want {
				t.Errorf("got %q, want %q", lines[1], want)
			}
			if !regexp.MustCompile(`^go      go1\.\d+`).MatchString(lines[2]) {
				t.Errorf("got %q, want the Go version", lines[2])
			}
		})
	}
}

// recordedCommit is what `go version -m` says the build recorded, in the
// form Info.CommitOrUnknown prints.
func recordedCommit(t *testing.T, bin string) string {
	out, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatalf("go version -m: %v", err)
	}
	i := Info{}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && f[0] == "build" {
			k, v, _ := strings.Cut(f[1], "=")
			switch k {
			case "vcs.revision":
				i.Commit = v
			case "vcs.modified":
				i.Modified = v == "true"
			}
		}
	}
	return i.CommitOrUnknown()
}
