package products

import (
	"cmp"
	"errors"
	"fmt"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"os/exec"
	"path/filepath"
)

// ErrNotInstalled is wrapped when a proxy kind's binary is not on this
// machine; the message names the apt package to install.
var ErrNotInstalled = errors.New("not installed")

// Product is how the drivers run one kind of proxy under test: an image
// and a binary, a config generated from the topology, a command line, and
// an admin path that answers 2xx once the proxy serves.
type Product struct {
	// Image is the fixtures/images name of the image that holds it: the
	// builtin proxy's own, or the products image (Debian's packages) for
	// apache, nginx and haproxy.
	Image  string
	Binary string // fixtures/images binary name, or the system binary
	// pkg is the Debian package of a system binary; "" = built from source
	// by fixtures/images.
	Pkg string
	// user is who runs the proxy when the lab runs as root ("" = root):
	// see Credential.
	User string
	// file is the config file's name in the run directory. Default "proxy.yaml".
	File string
	// config renders the proxy's configuration: traffic on listen, admin on
	// admin (with token when not on loopback), members at memberURL, the
	// run's certificates in files when the topology uses TLS (builtin only:
	// the vocabulary refuses TLS with the other kinds).
	Config func(t vocab.Topology, listen, admin, token string, memberURL func(vocab.Node) string, files TLSFiles) ([]byte, error)
	// args is the command line after the binary, reading the config file.
	// The config file's directory is the run's own, for pid files and logs.
	Args  func(configFile string) []string
	Ready string // admin path, 2xx once serving
	// Foreground are flags added when the proxy runs the user's own config
	// (proxy.config), which may not say to stay in the foreground, as a
	// container's main process must.
	Foreground []string
}

var registry = map[vocab.ProxyKind]Product{
	vocab.ProxyBuiltin: {
		Image:  ImageProxy,
		Binary: BinaryProxy,
		Config: proxyConfig,
		Args:   func(file string) []string { return []string{"-config", file} },
		Ready:  "/ready",
	},
	vocab.ProxyApache:  apacheKind,
	vocab.ProxyNginx:   nginxKind,
	vocab.ProxyHAProxy: haProduct,
}

// For returns the product of a proxy kind ("" = builtin); the topology's
// Validate has checked it exists.
func For(k vocab.ProxyKind) Product { return registry[k.OrDefault()] }

// Has says whether k has a renderer (a test keeps this equal to
// vocab.ProxyKinds).
func Has(k vocab.ProxyKind) bool {
	_, ok := registry[k]
	return ok
}

// TLSFiles are the run's certificate files (labs.RunTLS) a config names:
// the CA that signs the nodes' certificates, and the proxy listener's pair.
type TLSFiles struct{ CA, Cert, Key string }

// Command is the proxy's command line in its container, reading the
// config at file (the user's own when own is set): the builtin image's
// entrypoint is the proxy, the products image has none.
func (k Product) Command(file string, own bool) []string {
	args := k.Args(file)
	if own {
		args = append(args, k.Foreground...)
	}
	if k.Pkg == "" {
		return args
	}
	return append([]string{k.Binary}, args...)
}

// ImageProducts is the fixtures/images name of the image holding Debian's
// apache2 (+ mod_php), nginx and haproxy.
const ImageProducts = "products"

// CheckDocker refuses, before anything starts, TLS, which the Docker
// driver does not set up (yet).
func CheckDocker(t vocab.Topology) error {
	field := ""
	if t.Proxy.HTTPS {
		field = "proxy.https"
	}
	for _, n := range t.Nodes {
		if field == "" && n.HTTPS {
			field = "nodes." + n.Name + ".https"
		}
	}
	if field != "" {
		return fmt.Errorf("%w: %s: runs only with the process driver (LAB_DRIVER=process): the docker driver makes no certificates", vocab.ErrInvalid, field)
	}
	if t.Proxy.Given() && t.Proxy.Image == "" {
		return fmt.Errorf("%w: proxy.command: a local program runs only with the process driver (LAB_DRIVER=process); give proxy.image to run it in a container", vocab.ErrInvalid)
	}
	for _, n := range t.Nodes {
		if n.Fixture == "" && n.Image == "" {
			return fmt.Errorf("%w: nodes.%s: %s is a local program: it runs only with the process driver (LAB_DRIVER=process); give nodes.%s.image to run it in a container", vocab.ErrInvalid, n.Name, n.What(), n.Name)
		}
	}
	return nil
}

// CheckProcess refuses, before anything starts, what only the Docker
// driver runs: image nodes, the php fixture (the products image), and a
// proxy with the user's own config (it names members as on a Docker
// network).
func CheckProcess(t vocab.Topology) error {
	switch p := t.Proxy; {
	case p.Given() && p.Command == nil:
		return fmt.Errorf("%w: proxy.image: runs only with the docker driver (LAB_DRIVER=docker); add proxy.command to run the proxy as a local program", vocab.ErrInvalid)
	case p.Given():
		if err := checkLocal(t); err != nil {
			return err
		}
	case p.Config != "":
		return fmt.Errorf("%w: proxy.config: runs only with the docker driver (LAB_DRIVER=docker): the config of proxy kind %s is run in the products image", vocab.ErrInvalid, p.Kind)
	}
	for _, n := range t.Nodes {
		if (n.Image != "" && !n.RunsCommand()) || n.Fixture == vocab.FixturePHP {
			return fmt.Errorf("%w: nodes.%s: %s runs only with the docker driver (LAB_DRIVER=docker)%s", vocab.ErrInvalid, n.Name, n.What(), asProgram(n))
		}
	}
	return nil
}

// Image and binary names of the builtin proxy (fixtures/images).
const (
	ImageProxy  = "proxy"
	BinaryProxy = "failover-proxy"
)

// AsUsersRun is the product of kind k configured as its users run it in
// production, for benchmarks: nginx with a master and a worker per core,
// Apache with Debian's mpm_event settings and its child processes.
// HAProxy already runs its default threads (one per core) and
// failover-proxy its defaults. The lab's scenarios keep For's one-process
// setups, which its process-death guarantees cover.
func AsUsersRun(k vocab.ProxyKind) Product {
	p := For(k)
	switch k.OrDefault() {
	case vocab.ProxyNginx:
		p.Config = nginxWorkersConfig
	case vocab.ProxyApache:
		p.Config = apacheDebianConfig
		p.Args = func(file string) []string {
			return []string{"-d", filepath.Dir(file), "-f", file, "-DFOREGROUND"}
		}
	}
	return p
}

// checkLocal says whether the process driver can run the proxy given by
// command: its program is installed, and its templates let the lab choose
// where it listens, where its config is and where it reaches the nodes.
func checkLocal(t vocab.Topology) error {
	p := t.Proxy
	use, err := t.TemplateUse()
	if err != nil {
		return fmt.Errorf("%w: proxy: %w", vocab.ErrInvalid, err)
	}
	switch {
	case p.Config != "" && !use.Config:
		return fmt.Errorf("%w: proxy.command: never says {{ config }}: as a local program it must read the config the lab renders in its run directory", vocab.ErrInvalid)
	case !use.Listen:
		return fmt.Errorf("%w: proxy: neither the config nor the command says {{ port }} or {{ listen }}: as a local program the proxy must listen where the lab says (a free port)", vocab.ErrInvalid)
	case len(use.Members) == 0:
		return fmt.Errorf("%w: proxy.config: never calls {{ member }}: as a local program the proxy reaches the nodes only at the addresses the lab gives", vocab.ErrInvalid)
	}
	if _, err := exec.LookPath(cmp.Or(p.Program, p.Command[0])); err != nil {
		return fmt.Errorf("%w: proxy.command: %s: %w", ErrNotInstalled, p.Command[0], err)
	}
	return nil
}

// asProgram says why an image node does not run as a local program too:
// its command must say {{ port }} and name a program on this machine.
func asProgram(n vocab.Node) string {
	if n.Image == "" {
		return ""
	}
	if n.Command == nil {
		return "; give it a command with {{ port }} to run it as a local program too"
	}
	return fmt.Sprintf("; its command runs as a local program only when it says {{ port }} and %s is on this machine", cmp.Or(n.Program, n.Command[0]))
}
