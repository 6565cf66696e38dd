package vocab

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/failover-lab/failover-lab/labs/faults"
)

// checkOwn reports the problems of the settings of a proxy with the
// user's own config or given by image or command (paths under "proxy."):
// where each may be used, their values, and the templates, checked by
// rendering them over the topology with placeholders, so a bad action or
// an unknown node is an error before anything runs.
func (t Topology) checkOwn(report Report) {
	p := t.Proxy
	switch {
	case p.Image != "" && p.Kind != "":
		report.add("image", ErrInvalid, "a proxy given by image has no kind (got kind %s): leave kind out, or leave image out to run the kind from the products image", p.Kind)
	case p.Command != nil && p.Kind != "":
		report.add("command", ErrInvalid, "only for a proxy given by image or command: proxy kind %s has its own command line", p.Kind)
	}
	if !p.Own() {
		for field, set := range map[string]bool{"config_path": p.ConfigPath != "", "port": p.Port != 0, "ready": p.Ready != "", "reload_signal": p.Reload != "", "env": p.Env != nil} {
			if set {
				report.add(field, ErrInvalid, "only for your own config (config) or a proxy given by image or command; the lab renders %s's", p.What())
			}
		}
		return
	}
	if p.Env != nil && !p.Given() {
		report.add("env", ErrInvalid, "only for a proxy given by image or command (this one is %s)", p.What())
	}
	if strings.ContainsAny(p.Image, " \t\n") {
		report.add("image", ErrInvalid, "an image reference has no spaces (got %q)", p.Image)
	}
	if p.Command != nil && (len(p.Command) == 0 || strings.TrimSpace(p.Command[0]) == "") {
		report.add("command", ErrInvalid, "must name the program first, e.g. [caddy, run, --config, \"{{ config }}\"]")
	}
	if p.Port < 0 || p.Port > 65535 {
		report.add("port", ErrInvalid, "must be 1..65535 (got %d)", p.Port)
	}
	if p.Ready != "" && !strings.HasPrefix(p.Ready, "/") {
		report.add("ready", ErrInvalid, "must be a path starting with / (got %q)", p.Ready)
	}
	if p.Reload != "" {
		if name, _, err := faults.ParseSignal(p.Reload); err != nil {
			report.add("reload_signal", ErrInvalid, "%v", err)
		} else if name == "SIGKILL" {
			report.add("reload_signal", ErrInvalid, "SIGKILL ends the proxy; a reload signal makes it re-read its config (e.g. SIGHUP)")
		}
	}
	switch {
	case p.ConfigPath != "" && p.Config == "":
		report.add("config_path", ErrInvalid, "where the rendered config goes: needs config")
	case p.ConfigPath != "" && !path.IsAbs(p.ConfigPath):
		report.add("config_path", ErrInvalid, "must be an absolute path in the container (got %q)", p.ConfigPath)
	}
	t.checkTemplates(report)
}

// checkTemplates renders the config and each word of the command with
// placeholders; a template's problem is reported at its field with its
// place in the file: "caddy/Caddyfile:3:12: {{ member "servce" }}: no
// node named "servce" (did you mean "service"?)".
func (t Topology) checkTemplates(report Report) {
	env := checkEnv(t)
	if t.Proxy.Config != "" {
		if _, err := Render(t, t.Proxy.Config, string(t.Proxy.ConfigData), env, nil); err != nil {
			report.add("config", ErrInvalid, "%v", err)
		}
	}
	for i, word := range t.Proxy.Command {
		if _, err := Render(t, "", word, env, nil); err != nil {
			report.add(fmt.Sprintf("command[%d]", i), ErrInvalid, "%s", wordPlace.ReplaceAllString(err.Error(), ""))
		}
	}
}

// wordPlace is the ":1:5: " a word of the command has for a place.
var wordPlace = regexp.MustCompile(`^:\d+(:\d+)?: `)

// checkNetworkReach reports a network fault on a node the proxy's own
// config does not reach through its Toxiproxy link.
func (t Topology) checkNetworkReach(n Node, report Report) {
	use, err := t.TemplateUse()
	if !t.Proxy.Own() || err != nil {
		return // a template's problems are reported as such
	}
	named := use.Members
	switch {
	case slices.Contains(named, n.Name):
	case len(named) == 0 && t.Proxy.Config == "":
		report.add("network", ErrInvalid, "node %s: network faults act on the lab's Toxiproxy link, and the proxy (%s) has no config naming it with {{ member %q }}", n.Name, t.Proxy.What(), n.Name)
	case len(named) == 0:
		report.add("network", ErrInvalid, "node %s: network faults act on the lab's Toxiproxy link, which a proxy with its own config (proxy.config) bypasses: it reaches %s:%d directly (write {{ member %q }} in the config to go through the link)", n.Name, n.Name, n.TrafficPort(), n.Name)
	default:
		report.add("network", ErrInvalid, "node %s: network faults act on the lab's Toxiproxy link, and your config (proxy.config) never calls {{ member %q }}", n.Name, n.Name)
	}
}
