package carrier

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The test binary is an ELF file of this machine's platform; a text file
// is no ELF binary.
func TestPlatformOf(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if got, err := PlatformOf(self); err != nil || (Host().OS == "linux" && got != Host()) {
		t.Errorf("PlatformOf(the test binary): got %v, %v; want %v", got, err, Host())
	}
	text := filepath.Join(t.TempDir(), "lab")
	os.WriteFile(text, []byte("#!/bin/sh\n"), 0o755)
	if _, err := PlatformOf(text); !errors.Is(err, ErrNotELF) {
		t.Errorf("a script: got %v, want ErrNotELF", err)
	}
}

// A carrier for the platform asked is used as it is; without a Go
// toolchain, another platform's need ends in the command that builds one.
func TestFindWithoutToolchain(t *testing.T) {
	self, _ := os.Executable()
	if got, err := Find(context.Background(), self, Host()); err != nil || got != self {
		t.Errorf("Find(self, host): got %q, %v; want %q", got, err, self)
	}
	t.Setenv("PATH", t.TempDir()) // no go
	other := Platform{"linux", "arm64"}
	if Host() == other {
		other.Arch = "amd64"
	}
	_, err := Find(context.Background(), self, other)
	want := "CGO_ENABLED=0 GOOS=linux GOARCH=" + other.Arch + " go build -o lab " + Package
	if !errors.Is(err, ErrNoToolchain) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "is not for "+other.String()) {
		t.Errorf("got %v; want ErrNoToolchain naming %q", err, want)
	}
}

// With no carrier, the lab is built from this module for the platform
// asked (the host's here: a cold cross build of the whole lab takes
// minutes), once per process, and it carries `serve`.
func TestBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the lab")
	}
	t.Setenv("FAILOVER_LAB_CACHE", t.TempDir())
	other := Host()
	path, err := Find(context.Background(), "", other)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := PlatformOf(path); err != nil || got != other {
		t.Errorf("built %s: got platform %v, %v; want %v", path, got, err, other)
	}
	again, err := Build(context.Background(), other)
	if err != nil || again != path {
		t.Errorf("second build: got %q, %v; want %q (memoized)", again, err, path)
	}
	if out, err := exec.Command(path, "serve", "healthcheck").CombinedOutput(); !strings.Contains(string(out), "usage: healthcheck URL") {
		t.Errorf("%s serve healthcheck: got %v: %s; want its usage", path, err, out)
	}
}
