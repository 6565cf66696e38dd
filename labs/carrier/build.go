package carrier

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/failover-lab/failover-lab/fixtures/cache"
)

// Find returns a lab binary for platform p: path when it is set and built
// for p (the host's platform is trusted for the running binary; any other
// is read from the ELF header), else Build's.
func Find(ctx context.Context, path string, p Platform) (string, error) {
	if path != "" {
		if p == Host() {
			return path, nil
		}
		got, err := PlatformOf(path)
		if err == nil && got == p {
			return path, nil
		}
	}
	out, err := Build(ctx, p)
	if errors.Is(err, ErrNoToolchain) {
		return "", Missing(path, p, err)
	}
	return out, err
}

// built memoizes Build for the life of the process: the source does not
// change under a running test binary, and a `go build` that finds nothing
// to do still costs a second.
var built sync.Map // module + platform → *buildOnce

type buildOnce struct {
	once sync.Once
	path string
	err  error
}

// Build builds Package for p with the Go toolchain (CGO_ENABLED=0: a
// static binary for a scratch image) in the module of the working
// directory: this repository, or a user's module that requires or
// replaces it (examples/own-project), so the binary is the source the
// tests run. The binary goes to <cache>/carrier/<module hash>/<os>_<arch>/lab,
// built under a file lock; `go build` relinks only what changed.
func Build(ctx context.Context, p Platform) (string, error) {
	gomod, err := moduleFile(ctx)
	if err != nil {
		return "", err
	}
	v, _ := built.LoadOrStore(gomod+" "+p.String(), &buildOnce{})
	b := v.(*buildOnce)
	b.once.Do(func() { b.path, b.err = build(ctx, gomod, p) })
	if b.err != nil {
		built.CompareAndSwap(gomod+" "+p.String(), b, &buildOnce{}) // a cancelled build may be tried again
	}
	return b.path, b.err
}

func build(ctx context.Context, gomod string, p Platform) (string, error) {
	dir, err := cache.Dir()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(gomod))
	dir = filepath.Join(dir, "carrier", hex.EncodeToString(sum[:6]), p.OS+"_"+p.Arch)
	unlock, err := cache.Lock(dir, "lab")
	if err != nil {
		return "", err
	}
	defer unlock()
	out := filepath.Join(dir, "lab")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", out, Package)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+p.OS, "GOARCH="+p.Arch)
	if msg, err := cmd.CombinedOutput(); err != nil {
		hint := ""
		if strings.Contains(string(msg), "go.sum") || strings.Contains(string(msg), "no required module") {
			hint = fmt.Sprintf("\n(in your module, `go get -tool %s` records what it needs)", Package)
		}
		return "", fmt.Errorf("build the lab for %s (%s): %w\n%s%s", p, gomod, err, msg, hint)
	}
	return out, nil
}

// moduleFile is the go.mod of the working directory's module, the key of
// its builds. Without a toolchain it says what to do instead.
func moduleFile(ctx context.Context) (string, error) {
	if _, err := exec.LookPath("go"); err != nil {
		return "", ErrNoToolchain
	}
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			err = fmt.Errorf("%w: %s", err, ee.Stderr)
		}
		return "", fmt.Errorf("build the lab: go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("build the lab: the working directory is in no Go module (go env GOMOD = %q): run inside a module that requires %s, or use a lab binary: go install %s@latest", gomod, "github.com/failover-lab/failover-lab", Package)
	}
	return gomod, nil
}

// ErrNoToolchain is returned by Build when no `go` is on PATH.
var ErrNoToolchain = errors.New("no Go toolchain (go) on PATH to build the lab")

// Missing explains what to do when the lab binary at hand (have, "" for
// none) does not run on p and none can be built: the command that builds
// one, run where Go is.
func Missing(have string, p Platform, err error) error {
	what := "no lab binary"
	if have != "" {
		what = "the lab binary " + have + " is not"
		if got, perr := PlatformOf(have); perr == nil {
			what += " for " + p.String() + " (it is " + got.String() + ")"
		} else {
			what += " for " + p.String()
		}
	}
	return fmt.Errorf("%s, and %w; install Go (https://go.dev/dl/), or build a lab for %s where Go is and run that one: CGO_ENABLED=0 GOOS=%s GOARCH=%s go build -o lab %s",
		what, err, p, p.OS, p.Arch, Package)
}
