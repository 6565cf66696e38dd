// Package drivers picks a driver by name: the value of LAB_DRIVER.
//
//	LAB_DRIVER ──▶ docker            drivers/docker:  containers on a private network (testcontainers-go)
//	           ├─▶ process           drivers/process: local processes, in-process Toxiproxy
//	           ├─▶ auto (default)    Docker when a daemon answers within 2 s, else processes
//	           └─▶ compose:PROJECT   drivers/compose: attach to a running compose project
//
// Every driver shares the lifecycle of the labs package (labs.Start,
// Core.CloseOnce) and offers faults.Targets; none switches on fault kinds.
package drivers

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/drivers/compose"
	"github.com/failover-lab/failover-lab/labs/drivers/docker"
	"github.com/failover-lab/failover-lab/labs/drivers/process"
	"github.com/failover-lab/failover-lab/labs/products"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// Auto is the default LAB_DRIVER: Docker when a daemon answers, else
// processes.
const Auto = "auto"

// Options tailor the driver FromEnv returns.
type Options struct {
	// NoSignalHandler leaves SIGINT/SIGTERM to the caller, who closes its
	// runs itself; by default live runs are closed on them.
	NoSignalHandler bool
	// Engine is the Docker engine of the docker and compose drivers;
	// the zero value is the local one. FromEnv resolves it.
	Engine docker.Engine
	// Carrier is the lab binary the docker and process drivers run the
	// lab's programs from (their Carrier field): the `lab` CLI's own
	// os.Executable(); empty builds one from source (labs/carrier).
	Carrier string
	// Load is where the docker driver's runs send their load, warm-up
	// and probes from (its Load field). Default docker.LoadAuto: from the
	// run's network when the engine is not this machine's.
	Load docker.LoadPlace
}

// FromEnv picks the driver LAB_DRIVER names: docker, process, auto (the
// default): Docker when a daemon answers, else processes, or
// compose:<project>: attach to that running compose project
// (compose:failover-lab is `make lab`'s demo). It is the helper of tests
// (go test ./scenarios/...): the one place besides cmd/lab that reads the
// environment, for LAB_DRIVER and, unless o.Engine is set, the engine the
// docker CLI would use (docker.ResolveEngine).
func FromEnv(o Options) (labs.Driver, error) {
	if o.Engine == (docker.Engine{}) {
		e, err := docker.ResolveEngine(docker.SettingsFrom(os.Getenv))
		if err != nil {
			return nil, err
		}
		o.Engine = e
	}
	return For(context.Background(), os.Getenv("LAB_DRIVER"), o)
}

// For picks the driver of a LAB_DRIVER value.
func For(ctx context.Context, name string, o Options) (labs.Driver, error) {
	if project, ok := strings.CutPrefix(name, compose.Name+":"); ok {
		if project == "" {
			return nil, fmt.Errorf("LAB_DRIVER: compose needs a project, e.g. compose:failover-lab (got %q)", name)
		}
		return &compose.Driver{Project: project, Engine: o.Engine}, nil
	}
	dockerDriver := docker.New()
	dockerDriver.Engine = o.Engine
	dockerDriver.NoSignalHandler, dockerDriver.Carrier, dockerDriver.Load = o.NoSignalHandler, o.Carrier, o.Load
	processDriver := &process.Driver{NoSignalHandler: o.NoSignalHandler, Carrier: o.Carrier}
	switch name {
	case docker.Name:
		return dockerDriver, nil
	case process.Name:
		return processDriver, nil
	case "", Auto:
		if err := o.Engine.Available(ctx); err == nil {
			return dockerDriver, nil
		}
		return processDriver, nil
	}
	return nil, fmt.Errorf("LAB_DRIVER: must be one of docker, process, auto, compose:<project> (got %q)", name)
}

// Supports says why d cannot run t (nil when it can), before anything
// starts, for a test that skips what its driver refuses: TLS runs only on
// the process driver, image nodes, the php fixture and a proxy with its own
// config only on Docker, and a kind set from the environment may not take
// TLS.
func Supports(d labs.Driver, t vocab.Topology) error {
	if err := t.Validate(); err != nil {
		return err
	}
	switch d.(type) {
	case *docker.Driver:
		return products.CheckDocker(t)
	case *process.Driver:
		return products.CheckProcess(t)
	case *compose.Driver:
		if t.UsesTLS() {
			return fmt.Errorf("%w: https: the compose demo serves plain HTTP", labs.ErrUnsupported)
		}
		return products.CheckProcess(t) // the demo runs the fixtures only
	}
	return nil
}
