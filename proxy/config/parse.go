package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"

	"go.yaml.in/yaml/v3"

	"github.com/failover-lab/failover-lab/proxy/config/strictyaml"
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

// Parse reads one YAML document: defaults first, then a strict check of
// the tree against the types (strictyaml: unknown keys, badly typed
// values, with line, column and a did-you-mean), then a decode, then
// ApplyDefaults and Validate. filename only labels the errors. Every
// returned problem is a *FieldError; several are joined with errors.Join.
func Parse(r io.Reader, filename string) (*Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", filename, err)
	}
	root, errs := strictyaml.Parse(data)
	if errs != nil {
		return nil, joined(errs, filename, nil)
	}
	pos := strictyaml.Positions{}
	if root != nil {
		pos, errs = strictyaml.Check(root, reflect.TypeFor[Config](), strictyaml.Options{})
		if errs != nil {
			return nil, joined(errs, filename, nil)
		}
	}
	cfg := Default()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, joined(strictyaml.Errors{strictyaml.SyntaxError(err)}, filename, nil)
	}
	if _, given := pos["listen"]; !given && len(cfg.Listeners) > 0 {
		cfg.Listen = nil // listeners alone: no default plain listener
	}
	cfg.ApplyDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, joined(strictyaml.FromError(err), filename, pos)
	}
	return cfg, nil
}

// joined stamps each problem with the file and the place of its field (or
// of its nearest present parent, when the field itself was left out), and
// joins them in file order.
func joined(errs strictyaml.Errors, filename string, pos strictyaml.Positions) error {
	for _, e := range errs {
		if e.Line == 0 && pos != nil && e.Path != "" {
			p := pos.Of(e.Path)
			e.Line, e.Col = p.Line, p.Col
		}
	}
	err := errs.Err(filename)
	if err == nil {
		return nil
	}
	return problems(err.(strictyaml.Errors)).err()
}
