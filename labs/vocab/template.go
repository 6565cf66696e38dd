package vocab

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"text/template"
)

// A proxy with its own config (proxy.config) reads it as a Go
// text/template, so the user names the members by node and the lab fills
// in where the proxy reaches them:
//
//	  your Caddyfile                          what the proxy reads (docker driver)
//	  reverse_proxy {{ member "service" }} ─▶  reverse_proxy toxiproxy:20000
//	                                                │ the node's Toxiproxy link: network faults apply
//	                                                ▼
//	                                           service:8080
//
// The functions, defined once here (TemplateFuncs) for the config, the
// command line and the checks:
//
//	member NODE   host:port at which the proxy reaches NODE, through its Toxiproxy link
//	nodes ROLE    the names of the nodes of that role (primary, standby; "" = all), in order
//	listen        host:port the proxy takes traffic on (0.0.0.0:PORT in a container, 127.0.0.1:PORT as a process)
//	port          the port of listen
//	config        the path of the rendered config file (for proxy.command: --config {{ config }})
//
// A config that calls no member names the nodes itself, as on a compose
// network (server service:8080): it runs as it is, past Toxiproxy, so
// network faults do not reach it.

// TemplateEnv is what a template's functions answer: where the proxy
// reaches each node, where it listens, where its config is.
type TemplateEnv struct {
	Member func(node string) string // host:port of the node's link
	Listen string                   // host:port
	Port   int
	Config string // the rendered config's path
}

// TemplateUse is what a template asked for, as its check found out.
type TemplateUse struct {
	Members []string // the nodes named by member, in first-call order
	Listen  bool     // listen or port was called
	Config  bool     // config was called
}

// TemplateFuncs is the one definition of the template functions: over the
// topology's nodes, answering from env, and recording in use what was
// called (use may be nil).
func TemplateFuncs(t Topology, env TemplateEnv, use *TemplateUse) template.FuncMap {
	if use == nil {
		use = &TemplateUse{}
	}
	return template.FuncMap{
		"member": func(name string) (string, error) {
			if _, ok := t.Node(name); !ok {
				return "", fmt.Errorf("no node named %q%s", name, didYouMean(name, t.NodeNames()))
			}
			if !slices.Contains(use.Members, name) {
				use.Members = append(use.Members, name)
			}
			return env.Member(name), nil
		},
		"nodes": func(role string) ([]string, error) {
			if role != "" && !slices.Contains(Roles, Role(role)) {
				return nil, errors.New(oneOf(role, strs(Roles)))
			}
			var names []string
			for _, n := range t.Nodes {
				if role == "" || n.Role.OrDefault() == Role(role) {
					names = append(names, n.Name)
				}
			}
			return names, nil
		},
		"listen": func() string { use.Listen = true; return env.Listen },
		"port":   func() int { use.Listen = true; return env.Port },
		"config": func() string { use.Config = true; return env.Config },
	}
}

// OrDefault is the role, with "" meaning RolePrimary.
func (r Role) OrDefault() Role {
	if r == "" {
		return RolePrimary
	}
	return r
}

// Render executes text, named name in errors, as a template over t.
func Render(t Topology, name, text string, env TemplateEnv, use *TemplateUse) ([]byte, error) {
	tmpl, err := template.New(name).Option("missingkey=error").Funcs(TemplateFuncs(t, env, use)).Parse(text)
	if err != nil {
		return nil, templateError(err)
	}
	w := &limitWriter{left: MaxRendered}
	if err := tmpl.Execute(w, nil); err != nil {
		if errors.Is(err, errTooLarge) {
			return nil, fmt.Errorf("%s: renders to more than %d bytes", name, MaxRendered)
		}
		return nil, templateError(err)
	}
	return w.b.Bytes(), nil
}

// MaxRendered bounds a rendered config: nested ranges could otherwise
// make one of any size.
const MaxRendered = 4 << 20

var errTooLarge = errors.New("too large")

// limitWriter fails once more than left bytes were written.
type limitWriter struct {
	b    bytes.Buffer
	left int
}

func (w *limitWriter) Write(p []byte) (int, error) {
	if len(p) > w.left {
		return 0, errTooLarge
	}
	w.left -= len(p)
	return w.b.Write(p)
}

// execError is text/template's execution error: "template: NAME:LINE:COL:
// executing "NAME" at <ACTION>: error calling FUNC: PROBLEM".
var execError = regexp.MustCompile(`^template: (.*?): executing ".*?" at <(.*?)>: (?:error calling \w+: )?(.*)$`)

// templateError reads a template error as "NAME:LINE:COL: {{ ACTION }}:
// PROBLEM" (or "NAME:LINE: PROBLEM" for a syntax error): the place in
// the user's file first, without text/template's wording.
func templateError(err error) error {
	msg := err.Error()
	if m := execError.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("%s: {{ %s }}: %s", m[1], m[2], m[3])
	}
	return errors.New(strings.TrimPrefix(msg, "template: "))
}

// checkEnv answers a check's render: placeholders that show nothing real.
func checkEnv(t Topology) TemplateEnv {
	return TemplateEnv{
		Member: func(name string) string { return name + "-link:1" },
		Listen: "0.0.0.0:1", Port: 1, Config: "/config",
	}
}

// TemplateUse renders the proxy's config and command with placeholders:
// what they call, or the first problem ("caddy/Caddyfile:3:12: {{ member
// "servce" }}: no node named ...", "proxy.command[3]: ...").
func (t Topology) TemplateUse() (TemplateUse, error) {
	var use TemplateUse
	p := t.Proxy
	if p.Config != "" {
		if _, err := Render(t, p.Config, string(p.ConfigData), checkEnv(t), &use); err != nil {
			return use, err
		}
	}
	_, err := t.RenderCommand(checkEnv(t), &use)
	return use, err
}

// RenderCommand renders each word of proxy.command as a template (for
// --config {{ config }}, --listen {{ listen }}); nil when there is none.
func (t Topology) RenderCommand(env TemplateEnv, use *TemplateUse) ([]string, error) {
	if t.Proxy.Command == nil {
		return nil, nil
	}
	out := make([]string, len(t.Proxy.Command))
	for i, word := range t.Proxy.Command {
		b, err := Render(t, fmt.Sprintf("proxy.command[%d]", i), word, env, use)
		if err != nil {
			return nil, err
		}
		out[i] = string(b)
	}
	return out, nil
}
