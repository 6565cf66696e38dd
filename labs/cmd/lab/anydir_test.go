package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"

	"github.com/failover-lab/failover-lab/labs/cleanup"
	"github.com/failover-lab/failover-lab/labs/drivers/docker"
)

// bareEnv is a new user's shell: system directories on PATH, and so no Go
// toolchain (it lives in /usr/local/go/bin), a HOME with no caches, and
// nothing of ours but the engine the docker CLI would find.
func bareEnv(home string) []string {
	env := []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + home}
	for _, k := range []string{"DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_CONFIG"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// TestFromAnEmptyDirectory is issue 22's first "done when", as a new user
// would try it: the lab binary (CGO_ENABLED=0, as make build) copied into
// an empty directory outside the repository, with two scenarios copied
// from scenarios/, run with no `go` on PATH and a fresh HOME, passes both
// on the process driver and both on Docker (skipped when no daemon
// answers); every program comes from the binary itself, nothing is built
// or cached, and nothing is left behind: no process, container or network.
func TestFromAnEmptyDirectory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds lab and runs four scenarios")
	}
	dir, home := t.TempDir(), t.TempDir()
	lab := filepath.Join(dir, "lab")
	build := exec.Command("go", "build", "-o", lab, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	files := []string{"primary-answers-502.yaml", "primary-answers-503.yaml"} // Toxiproxy carries every request on both drivers
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join("..", "..", "..", "scenarios", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, "failover"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "failover", f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	noGo := exec.Command("sh", "-c", "command -v go")
	noGo.Env = bareEnv(home)
	if out, err := noGo.Output(); err == nil {
		t.Fatalf("the bare PATH finds go at %s; the test must run without it", out)
	}

	for _, driver := range []string{"process", "docker"} {
		t.Run(driver, func(t *testing.T) {
			if driver == "docker" {
				if err := docker.New().Engine.Available(context.Background()); err != nil {
					t.Skipf("skipped: no Docker daemon answers: %v", err)
				}
			}
			reports := filepath.Join("reports", driver)
			cmd := exec.Command(lab, "run", "-driver", driver, "-quiet", "-reports", reports, "failover/"+files[0], "failover/"+files[1])
			cmd.Dir, cmd.Env = dir, bareEnv(home)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			if err != nil {
				t.Fatalf("lab run on %s: %v\n%s", driver, err, out.String())
			}
			for _, f := range files {
				name := strings.TrimSuffix(f, ".yaml")
				if !strings.Contains(out.String(), "PASS "+name+"\n") {
					t.Errorf("%s: no PASS line:\n%s", name, out.String())
				}
				if _, err := os.Stat(filepath.Join(dir, reports, name, "index.html")); err != nil {
					t.Errorf("report of %s: %v", name, err)
				}
			}
			if left := leftovers(t, lab, cmd.Process.Pid, driver); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
	// Nothing was built or cached: every program came from the binary.
	if entries, err := os.ReadDir(filepath.Join(home, ".cache", "failover-lab")); err == nil {
		for _, e := range entries {
			if e.Name() == "carrier" {
				t.Errorf("the lab built a carrier in %s: it should have used itself", filepath.Join(home, ".cache", "failover-lab", "carrier"))
			}
		}
	}
}

// leftovers are the processes still running the copied binary, and the
// containers and networks owned by the finished lab process.
func leftovers(t *testing.T, lab string, pid int, driver string) []string {
	t.Helper()
	var left []string
	procs, _ := filepath.Glob("/proc/[0-9]*/exe")
	for _, exe := range procs {
		if target, err := os.Readlink(exe); err == nil && target == lab {
			left = append(left, "process "+filepath.Base(filepath.Dir(exe)))
		}
	}
	if driver != "docker" {
		return left
	}
	ctx := context.Background()
	cli, err := docker.New().Engine.Client()
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	owned := func(labels map[string]string) bool {
		o, err := cleanup.ParseOwner(labels[cleanup.LabelOwner])
		return err == nil && o.PID == pid
	}
	f := filters.NewArgs(filters.Arg("label", cleanup.LabelOwner))
	cs, err := cli.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if owned(c.Labels) {
			left = append(left, "container "+strings.Join(c.Names, ","))
		}
	}
	ns, err := cli.NetworkList(ctx, network.ListOptions{Filters: f})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		if owned(n.Labels) {
			left = append(left, "network "+n.Name)
		}
	}
	return left
}
