package labs

import (
	"errors"
	"fmt"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// ErrNotInstalled is wrapped when a proxy kind's binary is not on this
// machine; the message names the apt package to install.
var ErrNotInstalled = errors.New("not installed")

// proxyKind is how the drivers run one kind of proxy under test: an image
// and a binary, a config generated from the topology, a command line, and
// an admin path that answers 2xx once the proxy serves.
type proxyKind struct {
	image  string // fixtures/images name; "" = no image: process driver only
	binary string // fixtures/images binary name, or the system binary
	// pkg is the Debian package of a system binary; "" = built from source
	// by fixtures/images.
	pkg string
	// user is who runs the proxy when the lab runs as root ("" = root):
	// see kindUser.
	user string
	// file is the config file's name in the run directory. Default "proxy.yaml".
	file string
	// config renders the proxy's configuration: traffic on listen, admin on
	// admin (with token when not on loopback), members at memberURL.
	config func(t vocab.Topology, listen, admin, token string, memberURL func(vocab.Node) string) ([]byte, error)
	// args is the command line after the binary, reading the config file.
	// The config file's directory is the run's own, for pid files and logs.
	args  func(configFile string) []string
	ready string // admin path, 2xx once serving
}

var proxyKinds = map[vocab.ProxyKind]proxyKind{
	vocab.ProxyBuiltin: {
		image:  ImageProxy,
		binary: BinaryProxy,
		config: proxyConfig,
		args:   func(file string) []string { return []string{"-config", file} },
		ready:  "/ready",
	},
	vocab.ProxyApache:  apacheKind,
	vocab.ProxyNginx:   nginxKind,
	vocab.ProxyHAProxy: haproxyKind,
}

// kindOf returns the topology's proxy kind; Validate has checked it exists.
func kindOf(t vocab.Topology) proxyKind { return proxyKinds[t.Proxy.Kind.OrDefault()] }

// dockerKind refuses, before anything starts, a kind that has no image.
func dockerKind(t vocab.Topology) error {
	if kindOf(t).image != "" {
		return nil
	}
	return fmt.Errorf("%w: proxy.kind: %q runs only with the process driver (LAB_DRIVER=%s): there is no image for it", vocab.ErrInvalid, t.Proxy.Kind, DriverProcess)
}
