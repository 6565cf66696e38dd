package explore

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/failover-lab/failover-lab/labs/scenario"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// Base is the scenario a search starts from: its file's own text for the
// parts every generated run keeps (proxy, nodes, load, streams), copied
// as written, comments and all.
type Base struct {
	Scenario *scenario.Scenario
	Dir      string // the file's directory: proxy.config is relative to it
	parts    map[string]*yaml.Node
}

// kept are the keys of the base file every generated scenario copies.
var kept = []string{"proxy", "nodes", "load", "streams"}

// WithKind is the base in front of another proxy kind (lab explore
// -kind): the scenario checked again for that kind, and every generated
// file's proxy.kind replaced.
func (b *Base) WithKind(k vocab.ProxyKind) (*Base, error) {
	s, err := b.Scenario.WithKind(k)
	if err != nil {
		return nil, err
	}
	c := *b
	c.Scenario = s
	c.parts = maps.Clone(b.parts)
	proxy := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	if old := b.parts["proxy"]; old != nil {
		proxy = &yaml.Node{Kind: old.Kind, Style: old.Style, Content: slices.Clone(old.Content)}
	}
	for i := 0; i+1 < len(proxy.Content); i += 2 {
		if proxy.Content[i].Value == "kind" {
			proxy.Content = slices.Delete(proxy.Content, i, i+2)
			break
		}
	}
	proxy.Content = append([]*yaml.Node{
		{Kind: yaml.ScalarNode, Value: "kind"}, {Kind: yaml.ScalarNode, Value: string(k)},
	}, proxy.Content...)
	c.parts["proxy"] = proxy
	return &c, nil
}

// ReadBase reads and parses a scenario file as the base of a search.
func ReadBase(file string) (*Base, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("explore: %w", err)
	}
	s, err := scenario.Parse(file, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return NewBase(s, filepath.Dir(file), data)
}

// NewBase is a base from a parsed scenario and its file's text.
func NewBase(s *scenario.Scenario, dir string, data []byte) (*Base, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("explore: %s: not a scenario mapping", s.File)
	}
	b := &Base{Scenario: s, Dir: dir, parts: map[string]*yaml.Node{}}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k := root.Content[i].Value; slices.Contains(kept, k) {
			b.parts[k] = root.Content[i+1]
		}
	}
	return b, nil
}

// File is a generated scenario's text: the base's proxy, nodes, load and
// streams, the plan as its timeline, expect as its expectations, header
// as comment lines on top. A proxy.config is rewritten relative to
// outDir, where the file will live ("" keeps it as the base wrote it).
func (b *Base) File(name, about string, p Plan, expect []scenario.Expectation, header []string, outDir string) ([]byte, error) {
	var out bytes.Buffer
	out.WriteString("# yaml-language-server: $schema=https://github.com/failover-lab/failover-lab/raw/main/scenarios/scenario.schema.json\n")
	for _, h := range header {
		out.WriteString(strings.TrimRight("# "+h, " ") + "\n")
	}
	fmt.Fprintf(&out, "name: %s\nabout: %s\n", name, oneLineAbout(about))
	for _, k := range kept {
		n := b.parts[k]
		if n == nil {
			continue
		}
		if k == "proxy" && outDir != "" {
			n = b.proxyFor(n, outDir)
		}
		data, err := yaml.Marshal(map[string]*yaml.Node{k: n})
		if err != nil {
			return nil, fmt.Errorf("explore: write %s: %w", k, err)
		}
		out.Write(data)
	}
	out.WriteString("timeline:\n")
	for _, line := range timeline(p) {
		out.WriteString("  - " + line + "\n")
	}
	out.WriteString("expect:\n")
	if len(expect) == 0 {
		out.WriteString("  - {requests: {min: 1}}\n")
	}
	for _, e := range expect {
		out.WriteString("  - " + e.String() + "\n")
	}
	return out.Bytes(), nil
}

// Parse reads a generated scenario's text as `lab run` would, the base's
// directory resolving its files.
func (b *Base) Parse(name string, data []byte) (*scenario.Scenario, error) {
	return scenario.ParseIn(b.Dir, name+".yaml", bytes.NewReader(data))
}

// proxyFor copies the proxy mapping with its config path made relative to
// outDir.
func (b *Base) proxyFor(n *yaml.Node, outDir string) *yaml.Node {
	c := *n
	c.Content = slices.Clone(n.Content)
	for i := 0; i+1 < len(c.Content); i += 2 {
		if c.Content[i].Value != "config" {
			continue
		}
		path := c.Content[i+1].Value
		if !filepath.IsAbs(path) {
			path = filepath.Join(b.Dir, path)
		}
		abs, err1 := filepath.Abs(path)
		absOut, err2 := filepath.Abs(outDir)
		if err1 == nil && err2 == nil {
			if rel, err := filepath.Rel(absOut, abs); err == nil {
				path = rel
			}
		}
		v := *c.Content[i+1]
		v.Value = filepath.ToSlash(path)
		c.Content[i+1] = &v
	}
	return &c
}

// event is one line of a generated timeline.
type event struct {
	at   time.Duration
	ord  int // at the same time: faults, then clears, then the end
	text string
}

// timeline writes the plan's events in time order: each step, its clear,
// and the end.
func timeline(p Plan) []string {
	var evs []event
	for _, s := range p.Steps {
		switch {
		case s.Kind == ReloadKind:
			evs = append(evs, event{s.At, 0, fmt.Sprintf("{at: %s, name: %s, reload: true}", fmtDur(s.At), s.Name())})
			continue
		default:
			evs = append(evs, event{s.At, 0, fmt.Sprintf("{at: %s, name: %s, fault: {node: %s, %s}}", fmtDur(s.At), s.Name(), s.Node, s.faultBody())})
		}
		if s.Lasting() && s.At+s.For < p.Length {
			evs = append(evs, event{s.At + s.For, 1, fmt.Sprintf("{at: %s, clear: %s}", fmtDur(s.At+s.For), s.Name())})
		}
	}
	evs = append(evs, event{p.Length, 2, fmt.Sprintf("{at: %s, end: true}", fmtDur(p.Length))})
	slices.SortStableFunc(evs, func(a, b event) int {
		if a.at != b.at {
			return int(a.at - b.at)
		}
		return a.ord - b.ord
	})
	lines := make([]string, len(evs))
	for i, e := range evs {
		lines[i] = e.text
	}
	return lines
}

// oneLineAbout keeps about on one plain YAML line.
func oneLineAbout(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.NewReplacer(": ", " - ", " #", " ").Replace(s)
}
