package scenario

import (
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/failover-lab/failover-lab/labs/vocab"
	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/config/strictyaml"
)

var eventNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

// MaxRate caps load.rate: more would measure the 2-core machine, not the proxy.
const MaxRate = 1000

// v carries the problems and positions of one validation.
type v struct {
	s *Scenario
	p *Errors
}

func (v v) add(path string, sentinel error, format string, args ...any) {
	v.p.Add(v.s.pos.Of(path), path, sentinel, format, args...)
}

func (s *Scenario) validate(p *Errors) {
	v := v{s: s, p: p}
	switch {
	case s.Name == "":
		v.add("name", ErrRequired, "required")
	case !vocab.NameRE.MatchString(s.Name):
		v.add("name", ErrInvalid, "must be lowercase letters, digits and '-', at most 32 (got %q)", s.Name)
	case s.File != "" && baseName(s.File) != s.Name:
		v.add("name", ErrInvalid, "must equal the file name %q (got %q)", baseName(s.File), s.Name)
	}
	switch {
	case strings.TrimSpace(s.About) == "":
		v.add("about", ErrRequired, "required: one line saying what happens and what clients see")
	case strings.Contains(strings.TrimSpace(s.About), "\n"):
		v.add("about", ErrInvalid, "must be one line")
	}
	v.topology()
	v.load("load", v.s.Load)
	v.streams()
	v.timeline()
	for i := range s.Expect {
		v.expectation(i)
	}
	v.explore()
}

// topology applies the vocabulary's rules (names, fixtures, roles,
// weights, the proxy kind) at the scenario's paths ("nodes.service.role"),
// then the proxy's own rules to the pool settings.
func (v v) topology() {
	t := v.s.Topology()
	t.Check(func(path string, sentinel error, msg string) {
		if path == "name" {
			return // the scenario's own rule, in validate
		}
		v.add(scenarioPath(t, path), sentinel, "%s", msg)
	})
	v.pool()
}

// scenarioPath turns the topology's "nodes[1].role" into the file's
// "nodes.failover.role".
func scenarioPath(t vocab.Topology, path string) string {
	rest, ok := strings.CutPrefix(path, "nodes[")
	if !ok {
		return path
	}
	i, tail, ok := strings.Cut(rest, "]")
	n, err := strconv.Atoi(i)
	if !ok || err != nil || n < 0 || n >= len(t.Nodes) {
		return path
	}
	return "nodes." + t.Nodes[n].Name + tail
}

func (v v) pool() {
	if v.s.Proxy.Own() {
		// The user's own config says how its proxy behaves.
		pool := reflect.ValueOf(v.s.Proxy.Pool)
		for key, f := range strictyaml.Fields(pool.Type(), checkOptions.Hidden) {
			if !pool.FieldByIndex(f.Index).IsZero() {
				v.add("proxy."+key, ErrInvalid, "a pool setting of the config the lab renders; your own proxy (%s) has its own config", v.s.Proxy.What())
			}
		}
		return
	}
	// The proxy's own rules judge its settings: build the config the lab
	// will run and map the proxy's field paths back onto the scenario's.
	pool := v.s.Proxy.Pool
	pool.Members = nil
	for _, n := range v.s.Nodes {
		pool.Members = append(pool.Members, config.Member{Name: n.Name, URL: "http://" + n.Name + ":8080"})
	}
	cfg := config.Default()
	cfg.Pools = map[string]*config.Pool{vocab.PoolName: &pool}
	cfg.ApplyDefaults()
	for _, fe := range strictyaml.FromError(cfg.Validate()) {
		path, ok := strings.CutPrefix(fe.Path, "pools."+vocab.PoolName+".")
		if !ok || strings.HasPrefix(path, "members") {
			continue // the lab's own making, not the scenario's
		}
		v.add("proxy."+path, ErrInvalid, "%s", fe.Problem)
	}
}

func (v v) load(path string, l Load) {
	switch {
	case l.Rate <= 0:
		v.add(path+".rate", ErrRequired, `required, > 0, like "50/s"`)
	case l.Rate > MaxRate:
		v.add(path+".rate", ErrInvalid, "must be at most %d/s on this lab (got %s)", MaxRate, l.Rate)
	}
	if !slices.Contains(Methods, l.Method) {
		v.add(path+".method", ErrInvalid, "must be one of %s (got %q)", strings.Join(l.Method.Enum(), ", "), l.Method)
	}
	if !strings.HasPrefix(l.Path, "/") {
		v.add(path+".path", ErrInvalid, "must start with / (got %q)", l.Path)
	}
	if l.FreshConns < 0 || l.FreshConns > 1 {
		v.add(path+".fresh_conns", ErrInvalid, "must be in [0, 1] (got %g)", l.FreshConns)
	}
	if l.Timeout < 0 {
		v.add(path+".timeout", ErrInvalid, "must be ≥ 0 (got %s)", l.Timeout)
	}
	if l.HTTP2 && !v.s.Proxy.HTTPS {
		v.add(path+".http2", ErrInvalid, "needs proxy.https: true (HTTP/2 is chosen by ALPN over TLS)")
	}
	if l.Malformed != "" && !slices.Contains(l.Malformed.Enum(), string(l.Malformed)) {
		v.add(path+".malformed", ErrInvalid, "must be one of %s (got %q)", strings.Join(l.Malformed.Enum(), ", "), l.Malformed)
	}
}

// eventNames lists the names expectations may refer to.
func (s *Scenario) eventNames() []string {
	names := []string{Start}
	for _, e := range s.Timeline {
		if e.Name != "" && e.Name != Start {
			names = append(names, e.Name)
		}
	}
	return names
}
