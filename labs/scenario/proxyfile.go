package scenario

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/failover-lab/failover-lab/labs/vocab"
)

// ProxyFile names a proxy outside any scenario, for `lab conform -proxy
// FILE` and `lab run -proxy FILE`: a scenario's proxy mapping under a
// name, its config relative to the file.
//
//	name: caddy
//	proxy:
//	  image: failover-lab/products:local
//	  command: [caddy, run, --config, "{{ config }}", --adapter, caddyfile]
//	  config: caddy/Caddyfile            # {{ range nodes "primary" }}{{ member . }} {{ end }} fits every scenario
type ProxyFile struct {
	Name  string          `yaml:"name,omitempty" doc:"The proxy's name: the matrix's column and the reports' folder. Default the file name without .yaml."`
	Proxy vocab.ProxySpec `yaml:"proxy" doc:"The proxy, as a scenario's proxy mapping: a kind, or image or command with config."`

	// File is the path the proxy file was read from.
	File string `yaml:"-"`
}

// ParseProxyFile reads a proxy file and the config it names (relative to
// it); problems come back as Errors, "file:line:col: field: problem". The
// proxy is checked against each scenario by WithProxy: its template names
// the scenario's nodes.
func ParseProxyFile(path string) (*ProxyFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("proxy file: %w", err)
	}
	return parseProxyFile(filepath.Dir(path), path, bytes.NewReader(data))
}

func parseProxyFile(dir, file string, r io.Reader) (*ProxyFile, error) {
	pf := &ProxyFile{}
	pos, err := decode("proxy file", file, r, pf)
	if err != nil {
		return nil, err
	}
	pf.File = file
	var errs Errors
	if pf.Name == "" {
		pf.Name = baseName(file)
	}
	s := &Scenario{Proxy: pf.Proxy, pos: pos}
	s.readProxyConfig(dir, &errs)
	s.resolvePrograms(dir)
	pf.Proxy = s.Proxy
	if !vocab.NameRE.MatchString(pf.Name) {
		errs.Add(pos.Of("name"), "name", ErrInvalid, "must be lowercase letters, digits and '-', at most 32 (got %q)", pf.Name)
	}
	if pf.Proxy.Kind != "" && !pf.Proxy.Own() {
		errs.Add(pos.Of("proxy"), "proxy", ErrInvalid, "a kind alone is a column of -kinds; a proxy file gives image or command, or a kind with config")
	}
	if err := errs.Err(file); err != nil {
		return nil, err
	}
	return pf, nil
}

// WithProxy is s in front of the proxy of pf: a copy with its proxy
// replaced (the scenario's pool settings, which configure the proxy the
// lab renders, are dropped), validated again, so what the proxy cannot
// do in this scenario (a template naming a node it lacks, a network fault
// on a node the config does not reach through its link) comes back as the
// file's errors. A scenario that brings its own proxy keeps it.
func (s *Scenario) WithProxy(pf *ProxyFile) (*Scenario, error) {
	var errs Errors
	if s.Proxy.Own() {
		errs.Add(s.pos.Of("proxy"), "proxy", ErrInvalid, "the scenario brings its own proxy (%s); it cannot run in front of %s", s.Proxy.What(), pf.Name)
		return nil, errs.Err(s.File)
	}
	c := *s
	c.Proxy = pf.Proxy
	c.Proxy.HTTPS = s.Proxy.HTTPS // the scenario's TLS, which such a proxy cannot do, is refused, not dropped
	c.validate(&errs)
	if err := errs.Err(c.File); err != nil {
		return nil, err
	}
	return &c, nil
}
