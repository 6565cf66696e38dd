package labs

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Proxy kinds besides ProxyBuiltin: the products the seed story compares
// failover-proxy with. They run only under the process driver, from the
// binaries their Debian packages install (there is no registry to pull
// their images from, and no base image to put them into).
const (
	ProxyApache  = "apache"  // Apache httpd: mod_proxy_balancer + mod_proxy_hcheck
	ProxyNginx   = "nginx"   // nginx OSS: upstream with backup, proxy_next_upstream
	ProxyHAProxy = "haproxy" // HAProxy: backup servers, httpchk, observe layer7, retry-on
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
	config func(t Topology, listen, admin, token string, memberURL func(Node) string) ([]byte, error)
	// args is the command line after the binary, reading the config file.
	// The config file's directory is the run's own, for pid files and logs.
	args  func(configFile string) []string
	ready string // admin path, 2xx once serving
}

var proxyKinds = map[string]proxyKind{
	ProxyBuiltin: {
		image:  ImageProxy,
		binary: BinaryProxy,
		config: proxyConfig,
		args:   func(file string) []string { return []string{"-config", file} },
		ready:  "/ready",
	},
	ProxyApache:  apacheKind,
	ProxyNginx:   nginxKind,
	ProxyHAProxy: haproxyKind,
}

// ProxyKinds lists the values ProxySpec.Kind accepts, sorted.
func ProxyKinds() []string {
	kinds := make([]string, 0, len(proxyKinds))
	for k := range proxyKinds {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	return kinds
}

// kindOf returns the topology's proxy kind; Validate has checked it exists.
func kindOf(t Topology) proxyKind {
	k := t.Proxy.Kind
	if k == "" {
		k = ProxyBuiltin
	}
	return proxyKinds[k]
}

func validateKind(kind string) error {
	if _, ok := proxyKinds[kind]; ok || kind == "" {
		return nil
	}
	return fmt.Errorf("%w: proxy.kind: must be one of %s (got %q)", ErrInvalid, strings.Join(ProxyKinds(), ", "), kind)
}

// dockerKind refuses, before anything starts, a kind that has no image.
func dockerKind(t Topology) error {
	if kindOf(t).image != "" {
		return nil
	}
	return fmt.Errorf("%w: proxy.kind: %q runs only with the process driver (LAB_DRIVER=%s): there is no image for it", ErrInvalid, t.Proxy.Kind, DriverProcess)
}
