package scenario

import (
	"github.com/failover-lab/failover-lab/labs/vocab"

	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ParseFile reads, checks and validates one scenario file.
func ParseFile(path string) (*Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	defer f.Close()
	return Parse(path, f)
}

// Parse reads a scenario from r; file names it in errors and must end in
// the scenario's name plus ".yaml" (or be "" to skip that check). Every
// problem comes back at once as Errors, each "file:line:col: field: problem".
// Files the scenario names (proxy.config) are read relative to file's
// directory.
func Parse(file string, r io.Reader) (*Scenario, error) {
	return ParseIn(filepath.Dir(file), file, r)
}

// ParseIn is Parse reading the files the scenario names relative to dir:
// for a caller that names the file in messages other than by its path
// from the working directory.
func ParseIn(dir, file string, r io.Reader) (*Scenario, error) {
	s := &Scenario{}
	pos, err := decode("scenario", file, r, s)
	if err != nil {
		return nil, err
	}
	s.File, s.pos = file, pos
	var errs Errors
	s.normalize()
	s.readProxyConfig(dir, &errs)
	s.resolvePrograms(dir)
	s.validate(&errs)
	if err := errs.Err(file); err != nil {
		return nil, err
	}
	return s, nil
}

// readProxyConfig reads the user's own proxy config file, relative to dir.
func (s *Scenario) readProxyConfig(dir string, errs *Errors) {
	name := s.Proxy.Config
	if name == "" {
		return
	}
	if !filepath.IsAbs(name) {
		name = filepath.Join(dir, name)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		errs.Add(s.pos.Of("proxy.config"), "proxy.config", ErrInvalid, "cannot read it: %v", err)
		return
	}
	s.Proxy.ConfigData = data
}

// resolvePrograms makes each node command's program with a / in its name
// relative to dir, as the process driver runs it (vocab.Node.Program);
// a bare name is looked up on PATH when the node starts.
func (s *Scenario) resolvePrograms(dir string) {
	for i := range s.Nodes {
		n := &s.Nodes[i]
		n.Program = program(dir, n.Command)
	}
	s.Proxy.Program = program(dir, s.Proxy.Command)
}

// program is the path of a command's program with a / in its name,
// relative to dir; "" for a bare name (looked up on PATH) or an absolute
// path.
func program(dir string, command []string) string {
	if len(command) == 0 || !strings.Contains(command[0], "/") || filepath.IsAbs(command[0]) {
		return ""
	}
	p := filepath.Join(dir, command[0])
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return p
}

// normalize fills the defaults a reader of the scenario relies on.
func (s *Scenario) normalize() {
	for i := range s.Nodes {
		if s.Nodes[i].Role == "" {
			s.Nodes[i].Role = vocab.RolePrimary
		}
	}
	if s.Load.Method == "" {
		s.Load.Method = "GET"
	}
	if s.Load.Path == "" {
		s.Load.Path = "/"
	}
	for i := range s.Streams {
		l := &s.Streams[i].Load
		l.Method, l.Path = cmp.Or(l.Method, "GET"), cmp.Or(l.Path, "/")
	}
	for i := range s.Timeline {
		e := &s.Timeline[i]
		switch {
		case e.Name != "":
		case e.Clear != "":
			e.Name = "clear-" + e.Clear
		case e.End:
			e.Name = "end"
		}
	}
}

// baseName is the scenario name a file path implies.
func baseName(file string) string {
	return strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
}
