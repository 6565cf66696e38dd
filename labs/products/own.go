package products

import (
	"cmp"
	"fmt"
	"net"
	"path"
	"path/filepath"
	"strconv"

	fixproducts "github.com/failover-lab/failover-lab/fixtures/products"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// OwnProxy is how a driver runs a proxy with the user's own config, or
// given by image or command: the lab renders the user's template and
// command (vocab.Render) and knows nothing else of it.
type OwnProxy struct {
	// Image is the image to run (docker): the user's tag, or ImageProducts
	// for a packaged kind (a fixtures/images name, built on use).
	Image string
	// Command is the command line, rendered; nil = the image's own.
	Command []string
	// Config is the rendered config, written at ConfigFile; nil when the
	// proxy has none.
	Config     []byte
	ConfigFile string
	// Port is the traffic port (in its container, or on 127.0.0.1).
	Port int
	// Ready is the readiness path on the traffic port ("" = any answer on /).
	Ready string
	// Members lists the nodes the config reaches through their links.
	Members []string
}

// OwnInContainer is the proxy of t (t.Proxy.Own()) as the docker driver
// runs it: its config at proxy.config_path (default in the products
// image's run directory), listening on 0.0.0.0:PORT in its container,
// reaching node n at member(n).
func OwnInContainer(t vocab.Topology, member func(node string) string) (OwnProxy, error) {
	p := t.Proxy
	o := OwnProxy{Image: p.Image, Port: p.TrafficPort(), Ready: p.Ready}
	switch {
	case p.ConfigPath != "":
		o.ConfigFile = p.ConfigPath
	case p.Given():
		o.ConfigFile = path.Join(fixproducts.RunDir, path.Base(filepath.ToSlash(p.Config)))
	default:
		o.ConfigFile = path.Join(fixproducts.RunDir, For(p.Kind).File)
	}
	env := vocab.TemplateEnv{Member: member, Listen: net.JoinHostPort("0.0.0.0", strconv.Itoa(o.Port)), Port: o.Port, Config: o.ConfigFile}
	if !p.Given() {
		o.Image = For(p.Kind).Image
		o.Command = For(p.Kind).Command(o.ConfigFile, true)
	}
	return o, o.render(t, env)
}

// OwnAsProcess is the proxy of t as the process driver runs it: the
// command's program from PATH, the config in the run directory dir,
// listening on 127.0.0.1:port.
func OwnAsProcess(t vocab.Topology, dir string, port int, member func(node string) string) (OwnProxy, error) {
	p := t.Proxy
	o := OwnProxy{Port: port, Ready: p.Ready}
	if p.Config != "" {
		o.ConfigFile = filepath.Join(dir, filepath.Base(p.Config))
	}
	env := vocab.TemplateEnv{Member: member, Listen: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), Port: port, Config: o.ConfigFile}
	return o, o.render(t, env)
}

// render fills Config, Command (unless set) and Members from t's templates.
func (o *OwnProxy) render(t vocab.Topology, env vocab.TemplateEnv) error {
	var use vocab.TemplateUse
	if t.Proxy.Config != "" {
		b, err := vocab.Render(t, t.Proxy.Config, string(t.Proxy.ConfigData), env, &use)
		if err != nil {
			return fmt.Errorf("proxy config: %w", err)
		}
		o.Config = b
	}
	if o.Command == nil {
		cmd, err := t.RenderCommand(env, &use)
		if err != nil {
			return fmt.Errorf("proxy command: %w", err)
		}
		o.Command = cmd
	}
	o.Members = use.Members
	return nil
}

// ReadyPath is the path the lab polls on the traffic port: Ready, or /.
func (o OwnProxy) ReadyPath() string { return cmp.Or(o.Ready, "/") }
