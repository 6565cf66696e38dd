package scenario

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
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
func Parse(file string, r io.Reader) (*Scenario, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("scenario: read %s: %w", file, err)
	}
	p := &problems{file: file}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		p.add(syntaxPos(msg), "", ErrSyntax, "%s", syntaxLineRE.ReplaceAllString(msg, ""))
		return nil, p.err()
	}
	if len(doc.Content) == 0 || len(bytes.TrimSpace(data)) == 0 {
		p.add(Pos{}, "", ErrRequired, "empty file")
		return nil, p.err()
	}
	root := doc.Content[0]
	c := &checker{p: p, pos: map[string]Pos{}}
	c.check(root, reflect.TypeFor[Scenario](), "")
	if err := p.err(); err != nil {
		return nil, err
	}
	s := &Scenario{File: file, pos: c.pos}
	if err := root.Decode(s); err != nil {
		p.add(posOf(root), "", ErrInvalid, "%v", err)
		return nil, p.err()
	}
	s.normalize()
	s.validate(p)
	if err := p.err(); err != nil {
		return nil, err
	}
	return s, nil
}

var syntaxLineRE = regexp.MustCompile(`^line (\d+): `)

// syntaxPos finds the line of a yaml.v3 syntax error ("yaml: line 3: ...").
func syntaxPos(msg string) Pos {
	m := syntaxLineRE.FindStringSubmatch(msg)
	if m == nil {
		return Pos{}
	}
	line, _ := strconv.Atoi(m[1])
	return Pos{Line: line, Col: 1}
}

// normalize fills the defaults a reader of the scenario relies on.
func (s *Scenario) normalize() {
	for i := range s.Nodes {
		if s.Nodes[i].Role == "" {
			s.Nodes[i].Role = "primary"
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
		if e.Fault != nil && e.Fault.HTTP != nil && e.Fault.HTTP.Kind == "" && e.Fault.HTTP.Status != 0 {
			e.Fault.HTTP.Kind = "status"
		}
	}
}

// baseName is the scenario name a file path implies.
func baseName(file string) string {
	return strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
}
