package labtest

import (
	"os"
	"time"

	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/drivers/docker"
)

// An Option tailors one Run.
type Option func(*settings)

type settings struct {
	driverName string      // docker, process, auto, compose:PROJECT
	driver     labs.Driver // set by UseDriver; wins over driverName
	engine     docker.Engine
	engineErr  error // EngineFromEnv could not resolve the engine
	load       docker.LoadPlace
	kind       string // proxy kind instead of the file's; "" keeps it
	reportDir  string
	timeout    time.Duration // 0: the scenario's end plus defaultGrace
	limiter    *Limiter
	quiet      bool
}

// Default settings.
const (
	// DefaultReportDir is where reports go, relative to the test's
	// working directory (its package directory under go test).
	DefaultReportDir = "reports"
	// defaultGrace is what a run may take beyond its scenario's end:
	// starting the topology, draining the load, stopping.
	defaultGrace = 2 * time.Minute
)

func newSettings(opts []Option) settings {
	s := settings{driverName: "auto", reportDir: DefaultReportDir}
	for _, o := range opts {
		o(&s)
	}
	return s
}

// Driver picks the driver by name: "docker" (containers), "process"
// (local processes, no Docker), "auto" (the default: Docker when a daemon
// answers within 2 s, else processes) or "compose:PROJECT" (a running
// compose project).
func Driver(name string) Option { return func(s *settings) { s.driverName = name } }

// DriverFromEnv is Driver($LAB_DRIVER), or "auto" when it is unset, on
// the engine EngineFromEnv finds: for a test that lets CI pick, as this
// repository's scenarios do.
func DriverFromEnv() Option {
	name := os.Getenv("LAB_DRIVER")
	if name == "" {
		name = "auto"
	}
	engine := EngineFromEnv()
	return func(s *settings) { Driver(name)(s); engine(s) }
}

// Engine runs the docker (and compose) driver on engine e: a remote one,
// with TLS, its published ports reached at another address. Default the
// local engine (unix:///var/run/docker.sock).
func Engine(e docker.Engine) Option { return func(s *settings) { s.engine = e } }

// EngineFromEnv is Engine of the engine the docker CLI would use, as `lab`
// finds it: DOCKER_HOST, DOCKER_CONTEXT and the CLI's current context,
// DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, ports reached at TC_HOST.
func EngineFromEnv() Option {
	e, err := docker.ResolveEngine(docker.SettingsFrom(os.Getenv))
	return func(s *settings) { s.engine, s.engineErr = e, err }
}

// LoadInNetwork sends the load, the warm-up and the probes from a
// container on the run's network to the proxy's alias (on), or from the
// test's process to the proxy's published port (off); docker driver only,
// as `lab run -load-in-network`. Default: on when the Docker engine is
// not this machine's (docker.LoadAuto).
func LoadInNetwork(on bool) Option {
	return func(s *settings) {
		s.load = docker.LoadHere
		if on {
			s.load = docker.LoadInNetwork
		}
	}
}

// UseDriver runs on a driver value the caller made and set up (a docker
// driver aimed at another engine, a process driver with settings of its
// own). It wins over Driver.
func UseDriver(d labs.Driver) Option { return func(s *settings) { s.driver = d } }

// ProxyKind runs the scenario in front of another proxy kind than its
// file names (builtin, apache, nginx, haproxy). A scenario that kind
// cannot run at all is skipped; expectations tuned to another proxy may
// fail, which is the comparison.
func ProxyKind(kind string) Option { return func(s *settings) { s.kind = kind } }

// ReportDir writes the reports under dir instead of ./reports.
func ReportDir(dir string) Option { return func(s *settings) { s.reportDir = dir } }

// Timeout bounds the whole run: start, timeline, drain, stop. Default the
// scenario's end event plus 2 minutes.
func Timeout(d time.Duration) Option { return func(s *settings) { s.timeout = d } }

// Limit makes the run wait for a slot of l before it starts, so parallel
// tests (t.Parallel) do not start more topologies at once than the
// machine can run with sound timing. Images are built before the wait.
func Limit(l *Limiter) Option { return func(s *settings) { s.limiter = l } }

// Quiet keeps the run's progress lines ("+3.002s broken: service: http
// status 500") out of the test log.
func Quiet() Option { return func(s *settings) { s.quiet = true } }

// A Limiter caps how many runs go at once across the tests that share it.
type Limiter struct{ slots chan struct{} }

// NewLimiter lets n runs go at once (at least 1).
func NewLimiter(n int) *Limiter { return &Limiter{slots: make(chan struct{}, max(n, 1))} }

// Cap is how many runs may go at once.
func (l *Limiter) Cap() int { return cap(l.slots) }

func (l *Limiter) acquire() { l.slots <- struct{}{} }
func (l *Limiter) release() { <-l.slots }
