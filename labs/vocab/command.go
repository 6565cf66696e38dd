package vocab

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"text/template"
)

// A node given by command is the user's own service as a local program:
//
//	nodes:
//	  service:
//	    image: own/service:test                     # docker driver
//	    command: [../bin/service, -listen, ":{{ port }}"]   # process driver too
//
// Each word of the command is a Go template; {{ port }} is the port the
// node must serve HTTP on: a free 127.0.0.1 port the process driver
// picks, or the image node's port in its container. The process driver
// runs a node's command when the node has no image, or when the command
// says {{ port }} (so it listens where the lab says) and its program is
// on this machine.

// RunsCommand says whether the process driver can run the node as a
// local program: a command without image, or an image node whose command
// takes its port and whose program is on this machine.
func (n Node) RunsCommand() bool {
	if n.Fixture != "" || n.Command == nil {
		return false
	}
	if n.Image == "" {
		return true
	}
	if !n.commandSaysPort() {
		return false
	}
	_, err := exec.LookPath(n.program())
	return err == nil
}

// program is the command's program: Program as the parser resolved it,
// else the command's first word.
func (n Node) program() string {
	if n.Program != "" {
		return n.Program
	}
	return n.Command[0]
}

// CommandLine is the node's program (Program, else the command's first
// word) and its arguments with {{ port }} rendered as port.
func (n Node) CommandLine(port int) (string, []string, error) {
	if len(n.Command) == 0 {
		return "", nil, fmt.Errorf("node %s: no command", n.Name)
	}
	words := make([]string, len(n.Command))
	for i, w := range n.Command {
		var err error
		if words[i], err = renderWord(w, port, nil); err != nil {
			return "", nil, fmt.Errorf("node %s: command[%d]: %w", n.Name, i, err)
		}
	}
	if n.Program != "" {
		words[0] = n.Program
	}
	return words[0], words[1:], nil
}

// ContainerCommand is the command of an image node's container, {{ port }}
// rendered as its port; nil keeps the image's CMD. Checked words render.
func (n Node) ContainerCommand() []string {
	if n.Command == nil {
		return nil
	}
	out := make([]string, len(n.Command))
	for i, w := range n.Command {
		out[i], _ = renderWord(w, n.TrafficPort(), nil)
	}
	return out
}

// renderWord executes one word of a command as a template; saysPort, when
// not nil, is set when it calls port.
func renderWord(w string, port int, saysPort *bool) (string, error) {
	if !strings.Contains(w, "{{") {
		return w, nil
	}
	tmpl, err := template.New("").Option("missingkey=error").Funcs(template.FuncMap{
		"port": func() int {
			if saysPort != nil {
				*saysPort = true
			}
			return port
		},
	}).Parse(w)
	if err != nil {
		return "", fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "template: :"))
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, nil); err != nil {
		return "", fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "template: :"))
	}
	return b.String(), nil
}

// commandSaysPort says whether some word of the command calls port.
func (n Node) commandSaysPort() bool {
	says := false
	for _, w := range n.Command {
		_, _ = renderWord(w, 0, &says)
	}
	return says
}

// checkCommand reports the problems of a node given by command alone.
func (n Node) checkCommand(report Report) {
	if n.Port != 0 {
		report.add("port", ErrInvalid, "a command node serves on the free port the lab picks: write {{ port }} in its command (got port %d)", n.Port)
	}
	if n.Args != nil {
		report.add("args", ErrInvalid, "flags of a fixture binary; a command node has them in its command")
	}
	if n.HTTPS {
		report.add("https", ErrInvalid, "only for a fixture: the lab makes no certificates for a command")
	}
	if n.Health != "" && !strings.HasPrefix(n.Health, "/") {
		report.add("health", ErrInvalid, "must be a path starting with / (got %q)", n.Health)
	}
	n.checkCommandWords(report)
	if len(n.Command) > 0 && !n.commandSaysPort() {
		report.add("command", ErrInvalid, "never says {{ port }}: a local program must serve HTTP on the port the lab picks (e.g. [./service, -listen, \"127.0.0.1:{{ port }}\"])")
	}
}

// checkCommandWords reports an empty command and words that do not render.
func (n Node) checkCommandWords(report Report) {
	if n.Command == nil {
		return
	}
	if len(n.Command) == 0 || n.Command[0] == "" {
		report.add("command", ErrInvalid, "needs a program (got %q)", n.Command)
		return
	}
	for i, w := range n.Command {
		if _, err := renderWord(w, 1, nil); err != nil {
			report.add(fmt.Sprintf("command[%d]", i), ErrInvalid, "%v (got %q; the one function is port)", err, w)
		}
	}
}
