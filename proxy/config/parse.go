package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Load reads and parses the file at path.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load config: %w", err)
	}
	defer f.Close()
	return Parse(f, path)
}

// Parse reads one YAML document: defaults first, then a strict decode
// (unknown keys are errors), then ApplyDefaults and Validate. filename only
// labels the errors. Every returned problem is a *FieldError; several are
// joined with errors.Join.
func Parse(r io.Reader, filename string) (*Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", filename, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, syntaxError(filename, err)
	}
	if err := boundAliases(&doc, filename); err != nil {
		return nil, err
	}
	lines := map[string]int{}
	var p problems
	if len(doc.Content) > 0 {
		w := walker{lines: lines, probs: &p}
		w.walk(doc.Content[0], configType, "")
	}
	if err := locate(p, filename, lines); err != nil {
		return nil, err
	}
	cfg := Default()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, syntaxError(filename, err)
	}
	if _, given := lines["listen"]; !given && len(cfg.Listeners) > 0 {
		cfg.Listen = nil // listeners alone: no default plain listener
	}
	cfg.ApplyDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, locate(fieldErrors(err), filename, lines)
	}
	return cfg, nil
}

// locate stamps each problem with the file and the line of its field (or of
// its nearest present parent, when the field itself was left out).
func locate(p problems, filename string, lines map[string]int) error {
	for _, e := range p {
		e.File = filename
		if e.Line == 0 {
			e.Line = lineOf(e.Path, lines)
		}
	}
	return p.err()
}

var lastPart = regexp.MustCompile(`(\.[^.\[]*|\[\d+\])$`)

func lineOf(path string, lines map[string]int) int {
	for path != "" {
		if l, ok := lines[path]; ok {
			return l
		}
		trimmed := lastPart.ReplaceAllString(path, "")
		if trimmed == path {
			break
		}
		path = trimmed
	}
	return 0
}

func fieldErrors(err error) problems {
	var p problems
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			var fe *FieldError
			if errors.As(e, &fe) {
				p = append(p, fe)
			}
		}
	}
	return p
}

var yamlLine = regexp.MustCompile(`line (\d+): `)

// syntaxError turns "yaml: line 3: mapping values are not allowed" into
// "lab.yaml:3: mapping values are not allowed".
func syntaxError(filename string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	fe := &FieldError{File: filename, Problem: msg, Err: ErrSyntax}
	if m := yamlLine.FindStringSubmatchIndex(msg); m != nil {
		fe.Line, _ = strconv.Atoi(msg[m[2]:m[3]])
		fe.Problem = msg[:m[0]] + msg[m[1]:]
	}
	return fe
}
