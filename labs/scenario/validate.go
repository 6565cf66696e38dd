package scenario

import (
	"errors"
	"regexp"
	"slices"
	"strings"

	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/load"
	"github.com/failover-lab/failover-lab/proxy/config"
)

var (
	nameRE      = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$`)
	eventNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)
	roles       = []string{"primary", "standby"}
	fixtures    = []string{"app", "errorpage"}
	methods     = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
	// reservedNodeNames are served_by targets or network aliases of the lab.
	reservedNodeNames = []string{"proxy", "toxiproxy", "primary", "standby"}
)

// MaxRate caps load.rate: more would measure the 2-core machine, not the proxy.
const MaxRate = 1000

// v carries the problems and positions of one validation.
type v struct {
	s *Scenario
	p *problems
}

// at finds the position of path, or of its closest parent that has one.
func (v v) at(path string) Pos {
	for {
		if pos, ok := v.s.pos[path]; ok {
			return pos
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return v.s.pos[""]
		}
		path = path[:i]
	}
}

func (v v) add(path string, sentinel error, format string, args ...any) {
	v.p.add(v.at(path), path, sentinel, format, args...)
}

func (s *Scenario) validate(p *problems) {
	v := v{s: s, p: p}
	switch {
	case s.Name == "":
		v.add("name", ErrRequired, "required")
	case !nameRE.MatchString(s.Name):
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
	v.proxy()
	v.nodes()
	v.load("load", s.Load)
	v.streams()
	v.timeline()
	for i := range s.Expect {
		v.expectation(i)
	}
}

func (v v) proxy() {
	if k := v.s.Proxy.Kind; k != "" && !slices.Contains(labs.ProxyKinds(), k) {
		v.add("proxy.kind", ErrInvalid, "must be one of %s (got %q)%s", strings.Join(labs.ProxyKinds(), ", "), k, didYouMean(k, labs.ProxyKinds()))
	}
	// The proxy's own rules judge its settings: build the config the lab
	// will run and map the proxy's field paths back onto the scenario's.
	pool := v.s.Proxy.Pool
	pool.Members = nil
	for _, n := range v.s.Nodes {
		pool.Members = append(pool.Members, config.Member{Name: n.Name, URL: "http://" + n.Name + ":8080"})
	}
	cfg := config.Default()
	cfg.Pools = map[string]*config.Pool{"web": &pool}
	cfg.ApplyDefaults()
	err := cfg.Validate()
	var fes []*config.FieldError
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			var fe *config.FieldError
			if errors.As(e, &fe) {
				fes = append(fes, fe)
			}
		}
	} else if fe := (*config.FieldError)(nil); errors.As(err, &fe) {
		fes = append(fes, fe)
	}
	for _, fe := range fes {
		path, ok := strings.CutPrefix(fe.Path, "pools.web.")
		if !ok || strings.HasPrefix(path, "members") {
			continue // the lab's own making, not the scenario's
		}
		v.add("proxy."+path, ErrInvalid, "%s", fe.Problem)
	}
}

func (v v) nodes() {
	s := v.s
	if len(s.Nodes) == 0 {
		v.add("nodes", ErrRequired, "at least one node is needed")
		return
	}
	primaries := 0
	for _, n := range s.Nodes {
		path := "nodes." + n.Name
		switch {
		case !nameRE.MatchString(n.Name):
			v.add(path+".name", ErrInvalid, "node names are lowercase letters, digits and '-', at most 32 (got %q)", n.Name)
		case slices.Contains(reservedNodeNames, n.Name):
			v.add(path+".name", ErrInvalid, "%q is reserved; reserved: %s", n.Name, strings.Join(reservedNodeNames, ", "))
		}
		if !slices.Contains(fixtures, n.Fixture) {
			v.add(path+".fixture", ErrInvalid, "must be one of %s (got %q)%s", strings.Join(fixtures, ", "), n.Fixture, didYouMean(n.Fixture, fixtures))
		}
		if !slices.Contains(roles, n.Role) {
			v.add(path+".role", ErrInvalid, "must be one of %s (got %q)%s", strings.Join(roles, ", "), n.Role, didYouMean(n.Role, roles))
		}
		if n.Role == "primary" {
			primaries++
		}
		if n.Weight < 0 || n.Weight > 1000 {
			v.add(path+".weight", ErrInvalid, "must be 1..1000 (got %d)", n.Weight)
		}
	}
	if primaries == 0 {
		v.add("nodes", ErrInvalid, "at least one node must have role primary")
	}
}

func (v v) load(path string, l Load) {
	switch {
	case l.Rate <= 0:
		v.add(path+".rate", ErrRequired, `required, > 0, like "50/s"`)
	case l.Rate > MaxRate:
		v.add(path+".rate", ErrInvalid, "must be at most %d/s on this lab (got %s)", MaxRate, l.Rate)
	}
	if !slices.Contains(methods, l.Method) {
		v.add(path+".method", ErrInvalid, "must be one of %s (got %q)", strings.Join(methods, ", "), l.Method)
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
	if l.Malformed != "" && !slices.Contains(load.MalformedKinds, l.Malformed) {
		v.add(path+".malformed", ErrInvalid, "must be one of %s (got %q)", strings.Join(load.MalformedKinds, ", "), l.Malformed)
	}
}

// eventNames lists the names expectations may refer to.
func (s *Scenario) eventNames() []string {
	names := []string{"start"}
	for _, e := range s.Timeline {
		if e.Name != "" && e.Name != "start" {
			names = append(names, e.Name)
		}
	}
	return names
}
