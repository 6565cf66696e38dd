package main

import (
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/failover-lab/failover-lab/labs/drivers/docker"
)

// dockerHostIPUsage is the -docker-host-ip flag's help, shared by the verbs
// that start containers.
const dockerHostIPUsage = "address where the Docker engine's published ports answer (default: $TC_HOST, else the host of DOCKER_HOST or the docker context, else 127.0.0.1)"

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
