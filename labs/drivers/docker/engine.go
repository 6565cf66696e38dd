package docker

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/docker/cli/cli/connhelper"
	"github.com/docker/docker/client"
	"github.com/docker/go-connections/tlsconfig"
)

// DefaultHost is the engine of a machine with Docker installed, as the
// docker CLI's default context names it.
const DefaultHost = "unix:///var/run/docker.sock"

// Engine is the Docker engine a run uses and where its published ports
// answer. The driver never reads the environment: cmd/lab and tests fill
// it with ResolveEngine, which picks the engine the docker CLI would
// (DOCKER_HOST, DOCKER_CONTEXT, the current context, DOCKER_TLS_VERIFY,
// DOCKER_CERT_PATH), and the address of its ports (-docker-host-ip,
// TC_HOST). The zero Engine is the local engine at DefaultHost, its
// ports on 127.0.0.1.
//
//	lab ──API──▶ Host (unix socket, tcp://ADDR:2375, ssh://user@ADDR)
//	 │                 │ publishes every container port on PublishIP()
//	 └──HTTP──▶ ReachIP():PORT ◀──┘
type Engine struct {
	// Host is the daemon's address, spelled as DOCKER_HOST spells it:
	// unix:///PATH, tcp://HOST:PORT, ssh://[USER@]HOST[:PORT][/SOCKET].
	// Default DefaultHost.
	Host string
	// TLS is how a tcp:// Host is spoken to over TLS; nil: plain TCP.
	TLS *TLS
	// HostIP is the address (IP or name) where the engine's published
	// ports answer. Default: Host's host for tcp:// and ssh://,
	// 127.0.0.1 for a local socket.
	HostIP string
	// Source says where Host came from, for messages: "DOCKER_HOST",
	// "context ci (DOCKER_CONTEXT)", "default". Default "".
	Source string
	// HostIPSource names the setting that chose HostIP ("-docker-host-ip",
	// "TC_HOST"); "" when it is derived from Host.
	HostIPSource string
}

// TLS holds the files of a TLS connection to the engine (the docker
// CLI's ca.pem, cert.pem, key.pem) and whether the server goes unverified.
type TLS struct {
	CAFile, CertFile, KeyFile string
	// SkipVerify trusts any server certificate (DOCKER_TLS without
	// DOCKER_TLS_VERIFY, a context's SkipTLSVerify). Default false.
	SkipVerify bool
}

// host is Host or its default.
func (e Engine) host() string {
	if e.Host == "" {
		return DefaultHost
	}
	return e.Host
}

// ReachIP is where the lab reaches the engine's published ports: HostIP,
// else the host of a tcp:// or ssh:// Host, else 127.0.0.1.
func (e Engine) ReachIP() string {
	if e.HostIP != "" {
		return e.HostIP
	}
	u, err := url.Parse(e.host())
	if err == nil && (u.Scheme == "tcp" || u.Scheme == "ssh" || u.Scheme == "http" || u.Scheme == "https") && u.Hostname() != "" {
		return u.Hostname()
	}
	return "127.0.0.1"
}

// PublishIP is the address the engine binds published ports to:
// 127.0.0.1 for a local engine (nothing of a run is exposed beyond the
// machine), the reach address when it is an IP the engine itself listens
// on (a tcp:// Host of that IP), else every address of the engine ("",
// 0.0.0.0): a name such as GitLab's "docker" may resolve differently
// inside the engine, and an ssh:// engine's address may be translated.
func (e Engine) PublishIP() string {
	reach := e.ReachIP()
	ip := net.ParseIP(reach)
	switch {
	case ip != nil && ip.IsLoopback():
		return reach
	case ip == nil:
		return ""
	}
	if u, err := url.Parse(e.host()); err == nil && u.Scheme == "tcp" && u.Hostname() == reach {
		return reach
	}
	return ""
}

// Remote says whether the engine's ports are reached beyond loopback.
func (e Engine) Remote() bool {
	ip := net.ParseIP(e.ReachIP())
	return ip == nil || !ip.IsLoopback()
}

// URL is the http:// URL of a published host port.
func (e Engine) URL(port string) string {
	return "http://" + net.JoinHostPort(e.ReachIP(), port)
}

// String is "tcp://10.0.0.2:2375 (from DOCKER_HOST), ports at 10.0.0.2".
func (e Engine) String() string {
	s := e.host()
	if e.Source != "" {
		s += " (from " + e.Source + ")"
	}
	s += ", ports at " + e.ReachIP()
	if e.HostIPSource != "" {
		s += " (from " + e.HostIPSource + ")"
	}
	return s
}

// Client is a Docker API client of the engine; the caller closes it. An
// ssh:// engine is spoken to through `ssh HOST docker system dial-stdio`,
// as the docker CLI does (its connhelper).
func (e Engine) Client() (*client.Client, error) {
	opts := []client.Opt{client.WithAPIVersionNegotiation()}
	host := e.host()
	helper, err := connhelper.GetConnectionHelper(host)
	if err != nil {
		return nil, fmt.Errorf("docker engine %s: %w", host, err)
	}
	switch {
	case helper != nil:
		opts = append(opts, client.WithHost(helper.Host), client.WithDialContext(helper.Dialer))
	case e.TLS != nil:
		tc, err := e.TLS.config()
		if err != nil {
			return nil, fmt.Errorf("docker engine %s: %w", host, err)
		}
		// The HTTP client first: WithHost configures its transport.
		opts = append(opts, client.WithHTTPClient(&http.Client{Transport: &http.Transport{TLSClientConfig: tc}}), client.WithHost(host))
	default:
		opts = append(opts, client.WithHost(host))
	}
	cli, err := client.NewClientWithOpts(opts...)
	if err != nil {
		return nil, fmt.Errorf("docker engine %s: %w", host, err)
	}
	return cli, nil
}

func (t *TLS) config() (*tls.Config, error) {
	return tlsconfig.Client(tlsconfig.Options{CAFile: t.CAFile, CertFile: t.CertFile, KeyFile: t.KeyFile, InsecureSkipVerify: t.SkipVerify})
}

// Available reports whether the engine answers within 2 s.
func (e Engine) Available(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	cli, err := e.Client()
	if err != nil {
		return err
	}
	defer cli.Close()
	if _, err := cli.Ping(ctx); err != nil {
		return fmt.Errorf("docker engine %s: %w", e, err)
	}
	return nil
}

// unreachable explains a published port that did not answer: where the
// lab tried, and what to set when the engine's ports answer elsewhere.
func (e Engine) unreachable(what, url string, err error) error {
	return fmt.Errorf("%s: nothing answered at %s, a port published by the engine %s: %w; "+
		"if the engine's published ports answer at another address, set it with -docker-host-ip ADDR (lab) or TC_HOST=ADDR",
		what, url, e, err)
}
