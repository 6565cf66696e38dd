// Package failover tests how our service fails over behind nginx, with
// failover-lab: each scenario file here runs on the process driver (our
// service as a local program, nginx from the distribution) and on the
// docker driver (our service's own image), and must meet its own
// expectations plus our failover budget.
package failover

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/labtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// budget is our own promise: a dead or unreachable instance costs clients
// at most this long of answers from the error page's side of the pool
// before the proxy has moved on.
const budget = time.Second

// image is our service's image as the scenarios name it.
const image = "own-project/service:test"

var scenarios = []string{"service-crash.yaml", "link-cut.yaml"}

func TestFailover(t *testing.T) {
	buildService(t)
	for _, driver := range []string{"process", "docker"} {
		t.Run(driver, func(t *testing.T) {
			if driver == "docker" {
				buildImage(t)
			}
			for _, file := range scenarios {
				t.Run(strings.TrimSuffix(file, ".yaml"), func(t *testing.T) {
					res := labtest.Run(t, file, labtest.Driver(driver), labtest.EngineFromEnv())
					require.NoError(t, res.Err, "the lab could not run the scenario")
					assert.True(t, res.Pass(), "an expectation of %s failed (see its subtest)", file)

					failover := res.Expectation("failover time")
					require.True(t, failover.HasFigure, failover.Measured)
					assert.Less(t, failover.Figure, budget, "failover took %v: %s", failover.Figure, failover.Measured)
					assert.Zero(t, res.ClientErrors(), "requests that failed for a client")
					assert.Positive(t, res.ServedBy()["service"], "our service answered nothing")
				})
			}
		})
	}
}

// root is the module's directory: the test runs in failover/.
const root = ".."

var build struct {
	once sync.Once
	out  []byte
	err  error
}

// buildService builds bin/service, static (CGO_ENABLED=0) so the same
// binary runs here and in the scratch image.
func buildService(t *testing.T) {
	t.Helper()
	build.once.Do(func() {
		cmd := exec.Command("go", "build", "-o", filepath.Join("bin", "service"), "./cmd/service")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		build.out, build.err = cmd.CombinedOutput()
	})
	require.NoError(t, build.err, "go build ./cmd/service:\n%s", build.out)
}

// buildImage builds our image with the docker CLI, as our CI does; no
// Docker here skips the docker driver's runs.
func buildImage(t *testing.T) {
	t.Helper()
	if err := exec.Command("docker", "version").Run(); err != nil {
		t.Skipf("docker driver: no Docker engine answers the docker CLI here: %v", err)
	}
	cmd := exec.Command("docker", "build", "--quiet", "-t", image, ".")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "docker build -t %s:\n%s", image, out)
}
