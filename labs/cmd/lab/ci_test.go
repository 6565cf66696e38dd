package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/network"
	"go.yaml.in/yaml/v3"

	"github.com/failover-lab/failover-lab/labs/drivers/docker"
	"github.com/failover-lab/failover-lab/labs/drivers/docker/enginetest"
	"github.com/failover-lab/failover-lab/labs/report"
)

// gitlabRecipe is what GitLab's runner reads of examples/ci/gitlab-ci.yml.
type gitlabRecipe struct {
	Variables map[string]string
	Jobs      map[string]gitlabJob
}

type gitlabJob struct {
	Script   []string `yaml:"script"`
	Parallel int      `yaml:"parallel"`
}

func readGitLabRecipe(t *testing.T, path string) gitlabRecipe {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	r := gitlabRecipe{Variables: map[string]string{}, Jobs: map[string]gitlabJob{}}
	for key, node := range doc {
		switch key {
		case "variables":
			if err := node.Decode(&r.Variables); err != nil {
				t.Fatalf("%s: variables: %v", path, err)
			}
		case "stages", "default", "include", "workflow":
		default:
			var j gitlabJob
			if err := node.Decode(&j); err != nil {
				t.Fatalf("%s: job %s: %v", path, key, err)
			}
			r.Jobs[key] = j
		}
	}
	return r
}

// runnerEnv is a job's environment as a runner gives it: little of the
// machine's (the toolchain's), the recipe's variables, the project's
// overrides (CI/CD variables win over the file's), the CI_* of the job.
func runnerEnv(vars, overrides, job map[string]string) []string {
	env := []string{"CI=true", "GITLAB_CI=true"}
	for _, k := range []string{"PATH", "HOME", "USER", "TMPDIR", "GOROOT", "GOPATH", "GOCACHE", "GOMODCACHE", "GOFLAGS", "GOPROXY", "GOTOOLCHAIN"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	for _, m := range []map[string]string{vars, overrides, job} {
		for k, v := range m {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// runJob runs a job's script lines in order, each in sh from the project
// directory, stopping at the first that fails, as the runner does.
func runJob(t *testing.T, dir, name string, job gitlabJob, env []string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	for _, line := range job.Script {
		fmt.Fprintf(&out, "$ %s\n", line)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		cmd := exec.CommandContext(ctx, "sh", "-c", line)
		cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, &out, &out
		err := cmd.Run()
		cancel()
		if err != nil {
			return out.String(), fmt.Errorf("job %s: %q: %w", name, line, err)
		}
	}
	return out.String(), nil
}

// The GitLab recipe, as its runner would run it, against a Docker engine
// that is not this machine's: a second dockerd in a network namespace of
// its own, reached at a 10.x address of a veth pair, as a dind service is
// reached at "docker". Its published ports answer there only, never on
// 127.0.0.1, so anything that still assumes loopback fails here. Two
// scenarios (a container fault and a network fault; an http fault) run in
// the recipe's three shards, the report job merges them; afterwards
// neither engine holds anything of the run, and the namespace, the veth
// pair and the engine's bridges are gone (enginetest's cleanup checks).
func TestGitLabRecipeOnASecondEngine(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a second Docker engine and runs two scenarios on it")
	}
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	recipe := readGitLabRecipe(t, filepath.Join(root, "examples", "ci", "gitlab-ci.yml"))
	shards, merge := recipe.Jobs["scenarios"], recipe.Jobs["report"]
	if shards.Parallel < 2 || len(shards.Script) == 0 || len(merge.Script) == 0 {
		t.Fatalf("the recipe has no sharded scenarios job and report job: %+v", recipe.Jobs)
	}
	began := time.Now()
	e := enginetest.Start(t)
	// Registered before anything runs: the checks happen even when the
	// recipe fails (then before enginetest empties the engine).
	t.Cleanup(func() { checkNothingLeft(t, e, began) })

	reports := t.TempDir()
	overrides := map[string]string{
		"DOCKER_HOST":   e.Host, // the recipe's tcp://docker:2375: "docker" is the service's alias
		"LAB_REPORTS":   reports,
		"LAB_SCENARIOS": "labs/cmd/lab/testdata/twoengines/two-engines-container-network.yaml labs/cmd/lab/testdata/twoengines/two-engines-http.yaml",
	}
	for k := 1; k <= shards.Parallel; k++ {
		job := map[string]string{"CI_NODE_INDEX": strconv.Itoa(k), "CI_NODE_TOTAL": strconv.Itoa(shards.Parallel), "CI_PROJECT_DIR": root}
		out, err := runJob(t, root, fmt.Sprintf("scenarios %d/%d", k, shards.Parallel), shards, runnerEnv(recipe.Variables, overrides, job))
		t.Logf("scenarios %d/%d:\n%s", k, shards.Parallel, out)
		if err != nil {
			t.Error(err)
		}
	}
	out, err := runJob(t, root, "report", merge, runnerEnv(recipe.Variables, overrides, map[string]string{"CI_PROJECT_DIR": root}))
	t.Logf("report:\n%s", out)
	if err != nil {
		t.Error(err)
	}
	checkMergedJUnit(t, filepath.Join(reports, "junit.xml"), map[string]int{
		"two-engines-container-network": 4, "two-engines-http": 3,
	})
	var set report.Set
	if b, err := os.ReadFile(filepath.Join(reports, "results.json")); err != nil || json.Unmarshal(b, &set) != nil || len(set.Scenarios) != 2 {
		t.Errorf("the merged results.json: %v, %d scenarios", err, len(set.Scenarios))
	}
	// The engine is not this machine's: the load, the warm-up and the
	// probes ran beside the topology (-load-in-network's default), so the
	// timings above are the proxy's, not the veth pair's.
	for _, r := range set.Scenarios {
		if !strings.Contains(r.Load, "a container on the run's network") || !strings.Contains(r.Load, "to http://proxy:8080") {
			t.Errorf("%s: the report says the load ran %q, want from a container on the run's network to http://proxy:8080", r.Scenario, r.Load)
		}
	}

	// Told to look for the ports where they are not (the engine then
	// publishes on its own loopback), the lab says where it looked and
	// what to set.
	bin := filepath.Join(t.TempDir(), "lab")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "run", "-quiet", "-docker-host-ip", "127.0.0.1", "-reports", t.TempDir(),
		"labs/cmd/lab/testdata/twoengines/two-engines-http.yaml")
	cmd.Dir, cmd.Env = root, runnerEnv(nil, map[string]string{"DOCKER_HOST": e.Host}, nil)
	combined, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != exitCannotRun || !strings.Contains(string(combined), "nothing answered at http://127.0.0.1:") ||
		!strings.Contains(string(combined), "-docker-host-ip") || !strings.Contains(string(combined), e.Host) {
		t.Errorf("ports looked for at 127.0.0.1: exit %d (%v), want %d and an error naming the address tried, the engine and -docker-host-ip:\n%s", code, err, exitCannotRun, combined)
	}

	// -load-in-network=false: the load goes from this machine across the
	// veth pair to the published port, and the report says so.
	here := t.TempDir()
	cmd = exec.Command(bin, "run", "-quiet", "-load-in-network=false", "-reports", here, "labs/cmd/lab/testdata/twoengines/two-engines-http.yaml")
	cmd.Dir, cmd.Env = root, runnerEnv(nil, map[string]string{"DOCKER_HOST": e.Host}, nil)
	if combined, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(combined), "load from this machine, to http://"+e.Addr+":") {
		t.Errorf("-load-in-network=false: %v, want a pass with the load from this machine to %s:\n%s", err, e.Addr, combined)
	}
	var r report.Results
	if b, err := os.ReadFile(filepath.Join(here, "two-engines-http", "results.json")); err != nil || json.Unmarshal(b, &r) != nil ||
		!strings.Contains(r.Load, "across the network to the Docker engine's published port") {
		t.Errorf("-load-in-network=false: the report says the load ran %q (%v), want from this machine across the network", r.Load, err)
	}
}

// checkMergedJUnit: one file, every expectation of both scenarios a test
// case, none failed, no run error.
func checkMergedJUnit(t *testing.T, path string, cases map[string]int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the merged junit.xml: %v", err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name string `xml:"name,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	want := 0
	for name, n := range cases {
		want += n
		i := slices.IndexFunc(doc.Suites, func(s struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name string `xml:"name,attr"`
			} `xml:"testcase"`
		}) bool {
			return s.Name == name
		})
		if i < 0 || len(doc.Suites[i].Cases) != n {
			t.Errorf("junit.xml: scenario %s: want %d test cases:\n%s", name, n, b)
		}
	}
	if doc.Tests != want || doc.Failures != 0 || doc.Errors != 0 || len(doc.Suites) != len(cases) {
		t.Errorf("junit.xml: got %d tests, %d failures, %d errors in %d suites; want %d, 0, 0 in %d:\n%s",
			doc.Tests, doc.Failures, doc.Errors, len(doc.Suites), want, len(cases), b)
	}
}

// checkNothingLeft: the second engine holds no container or network (it
// does hold the lab's images: they were built there), and this machine's
// own engine never saw a container of these scenarios.
func checkNothingLeft(t *testing.T, e *enginetest.Engine, began time.Time) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cli, err := e.Client()
	if err != nil {
		t.Error(err)
		return
	}
	defer cli.Close()
	if cs, err := cli.ContainerList(ctx, container.ListOptions{All: true}); err != nil || len(cs) > 0 {
		t.Errorf("second engine: %d containers left (%v)", len(cs), err)
	}
	if ns, err := cli.NetworkList(ctx, network.ListOptions{}); err != nil || len(ns) != 3 {
		t.Errorf("second engine: networks %v (%v), want bridge, host and none only", names(ns), err)
	}
	if imgs, err := cli.ImageList(ctx, image.ListOptions{Filters: filters.NewArgs(filters.Arg("label", "failover-lab.image"))}); err != nil || len(imgs) == 0 {
		t.Errorf("second engine: none of the lab's images (%v): the runs went elsewhere", err)
	}
	local, err := docker.Engine{}.Client()
	if err != nil {
		t.Logf("this machine's engine: %v: not checked", err)
		return
	}
	defer local.Close()
	if _, err := local.Ping(ctx); err != nil {
		t.Logf("this machine's engine does not answer: not checked")
		return
	}
	msgs, errs := local.Events(ctx, events.ListOptions{Since: began.Format(time.RFC3339Nano), Until: time.Now().Format(time.RFC3339Nano),
		Filters: filters.NewArgs(filters.Arg("type", string(events.ContainerEventType)), filters.Arg("event", string(events.ActionCreate)))})
	for {
		select {
		case m := <-msgs:
			if strings.Contains(m.Actor.Attributes["name"], "two-engines-") {
				t.Errorf("this machine's engine created %s: the lab used it instead of DOCKER_HOST", m.Actor.Attributes["name"])
			}
			continue
		case err := <-errs:
			if err != nil && ctx.Err() == nil && !strings.Contains(err.Error(), "EOF") {
				t.Errorf("this machine's engine's events: %v", err)
			}
		}
		return
	}
}

func names(ns []network.Summary) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Name)
	}
	return out
}
