package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/failover-lab/failover-lab/labs/drivers/docker"
)

// dockerHostIPUsage is the -docker-host-ip flag's help, shared by the verbs
// that start containers.
const dockerHostIPUsage = "address where the Docker engine's published ports answer (default: $TC_HOST, else the host of DOCKER_HOST or the docker context, else 127.0.0.1)"

// loadInNetworkUsage is the -load-in-network flag's help, shared by the
// verbs that start containers.
const loadInNetworkUsage = "send the load, the warm-up and the probes from a container on the run's network, to the proxy's alias (docker driver); -load-in-network=false sends them from here to the published port (default: on when the Docker engine is not this machine's: tcp:// or ssh:// to an address that is not loopback)"

// loadPlaceFlag defines -load-in-network on fs; the function it returns
// says, after parsing, where the load goes from: the flag's value when it
// was given, else the driver's default (docker.LoadAuto).
func loadPlaceFlag(fs flags) func() docker.LoadPlace {
	on := fs.Bool("load-in-network", false, loadInNetworkUsage)
	return func() docker.LoadPlace {
		set := false
		fs.Visit(func(f *flag.Flag) { set = set || f.Name == "load-in-network" })
		switch {
		case !set:
			return docker.LoadAuto
		case *on:
			return docker.LoadInNetwork
		}
		return docker.LoadHere
	}
}

// cliEngine is the engine the docker CLI would use (DOCKER_HOST,
// DOCKER_CONTEXT, the current context, DOCKER_TLS_VERIFY,
// DOCKER_CERT_PATH), its ports at hostIP when the flag is set.
func cliEngine(hostIP string) (docker.Engine, error) {
	s := docker.SettingsFrom(os.Getenv)
	if hostIP != "" {
		if err := checkHostIP(hostIP); err != nil {
			return docker.Engine{}, err
		}
		s.HostIP, s.HostIPSource = hostIP, "-docker-host-ip"
	}
	return docker.ResolveEngine(s)
}

// checkHostIP accepts an IP address or a host name, nothing with a
// scheme, a port or a path.
func checkHostIP(s string) error {
	if net.ParseIP(s) != nil {
		return nil
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || strings.Trim(label, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "" {
			return fmt.Errorf("-docker-host-ip: must be an IP address or a host name (got %q)", s)
		}
	}
	return nil
}
