package explore

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/labs/scenario"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// Search is what a generator may draw for one scenario: the kinds and the
// nodes each may break, how many events, how long a run.
type Search struct {
	Topology  vocab.Topology
	Kinds     []faults.Kind // drawable kinds (Space.Never empty)
	Reload    bool          // reload steps too (builtin proxy)
	Nodes     []string
	MinEvents int
	MaxEvents int
	Length    time.Duration
}

// Defaults of a search, when the scenario's explore: section says nothing.
const (
	DefaultLength    = 20 * time.Second
	DefaultMinEvents = 1
	DefaultMaxEvents = 4
	lead             = 2 * time.Second // calm before the first step
	tail             = 3 * time.Second // calm after the last clear
	maxFor           = 8 * time.Second // longest drawn fault
)

// SearchOf reads the search from the scenario: its explore: section, else
// every registered kind on every node.
func SearchOf(s *scenario.Scenario) Search {
	sr := Search{Topology: s.Topology(), MinEvents: DefaultMinEvents, MaxEvents: DefaultMaxEvents, Length: DefaultLength}
	x := s.Explore
	if x == nil {
		x = &scenario.Explore{}
	}
	sr.Nodes = slices.Clone(x.Nodes)
	if len(sr.Nodes) == 0 {
		sr.Nodes = sr.Topology.NodeNames()
	}
	// Reload events need a proxy that reloads: the builtin proxy (its
	// admin API), or one with a reload signal (the user's own config).
	reloads := (s.Proxy.Rendered() && s.Proxy.Kind.OrDefault() == vocab.ProxyBuiltin) || s.Proxy.ReloadSignal() != ""
	for _, k := range faults.Kinds() {
		if k.Space.Never == "" && (len(x.Kinds) == 0 || slices.Contains(x.Kinds, k.ID())) {
			sr.Kinds = append(sr.Kinds, k)
		}
	}
	sr.Reload = reloads && (len(x.Kinds) == 0 || slices.Contains(x.Kinds, ReloadKind))
	if x.Events != nil {
		if x.Events.Min != nil {
			sr.MinEvents = *x.Events.Min
		} else {
			sr.MinEvents = min(1, *x.Events.Max)
		}
		if x.Events.Max != nil {
			sr.MaxEvents = *x.Events.Max
		} else {
			sr.MaxEvents = max(sr.MinEvents, DefaultMaxEvents)
		}
	}
	if x.Length > 0 {
		sr.Length = x.Length
	}
	return sr
}

// Generate draws one plan. The same r (seed) gives the same plan. Steps
// land anywhere between the lead and the tail, on any allowed node, so
// faults on several nodes overlap; each lasting fault is cleared before
// the end. A draw the topology refuses (an http fault on an image node) or
// that would overlap a fault of the same family on the same node is drawn
// again.
func (sr Search) Generate(r *rand.Rand) Plan {
	p := Plan{Length: sr.Length}
	n := sr.MinEvents
	if sr.MaxEvents > sr.MinEvents {
		n += r.IntN(sr.MaxEvents - sr.MinEvents + 1)
	}
	for id := 1; id <= n; id++ {
		for range 50 {
			st, ok := sr.draw(r, id)
			if !ok {
				continue
			}
			cand := Plan{Length: p.Length, Steps: append(slices.Clone(p.Steps), st)}
			if sr.Valid(cand) {
				p = cand
				break
			}
		}
	}
	return p.sorted()
}

// draw makes one step, or says the draw does not fit the topology.
func (sr Search) draw(r *rand.Rand, id int) (Step, bool) {
	choices := len(sr.Kinds)
	if sr.Reload {
		choices++
	}
	if choices == 0 || len(sr.Nodes) == 0 {
		return Step{}, false
	}
	room := sr.Length - lead - tail
	if room <= 0 {
		return Step{}, false
	}
	grid := 100 * time.Millisecond
	st := Step{ID: id, At: lead + grid*time.Duration(r.Int64N(int64(room/grid)))}
	k := r.IntN(choices)
	if k == len(sr.Kinds) {
		st.Kind = ReloadKind
		return st, true
	}
	kind := sr.Kinds[k]
	st.Kind, st.Node = kind.ID(), sr.Nodes[r.IntN(len(sr.Nodes))]
	for _, p := range kind.Space.Params {
		st.Values = append(st.Values, drawValue(r, p))
	}
	if !kind.Space.Instant {
		longest := min(maxFor, sr.Length-tail-st.At)
		if longest < time.Second {
			return Step{}, false
		}
		st.For = time.Second + grid*time.Duration(r.Int64N(int64((longest-time.Second)/grid)+1))
	}
	if _, err := st.Fault(); err != nil {
		return Step{}, false
	}
	return st, sr.Topology.ValidateFault(mustFault(st)) == nil
}

func drawValue(r *rand.Rand, p faults.Param) faults.Value {
	v := faults.Value{Param: p}
	if p.Type == faults.Choice {
		v.S = p.Choices[r.IntN(len(p.Choices))]
		return v
	}
	g := p.Grid()
	v.N = p.Min + g*r.Int64N((p.Max-p.Min)/g+1)
	return v
}

// Valid says whether a plan keeps the generator's rules, which the
// shrinker's candidates must keep too: every step within the run, with
// calm before the first and after the last; no two faults that clash on
// one node at once (clash); each fault valid in the topology.
func (sr Search) Valid(p Plan) bool {
	for i, a := range p.Steps {
		if a.At < time.Second || a.At+a.For+time.Second > p.Length {
			return false // no calm before, or not cleared a second before the end
		}
		if a.Kind == ReloadKind {
			continue
		}
		f, err := a.Fault()
		if err != nil || sr.Topology.ValidateFault(f) != nil {
			return false
		}
		for _, b := range p.Steps[i+1:] {
			if b.Kind != ReloadKind && a.Node == b.Node && clash(family(a), family(b)) && near(a, b, p.Length) {
				return false
			}
		}
	}
	return true
}

func family(s Step) string { f, _, _ := strings.Cut(s.Kind, "."); return f }

// clash says whether faults of two families cannot be in force on one node
// at once: two of a family (a node cannot be paused while it is killed,
// nor carry two toxics of one kind), and a container fault with an http
// or tls one, which live in the process a kill ends (its control API is
// gone, and a restarted node has forgotten them).
func clash(a, b string) bool {
	if a == b {
		return true
	}
	pair := func(x, y string) bool { return a == x && b == y || a == y && b == x }
	return pair("container", "http") || pair("container", "tls")
}

// near says whether two steps on one node come within a second of each
// other: a clear restarts a node, and a fault applied at that moment finds
// it not running yet (seed 5 run 4: a pause at the very time a kill was
// cleared).
func near(a, b Step, length time.Duration) bool {
	span := func(s Step) (time.Duration, time.Duration) {
		if s.Lasting() {
			return s.At, s.End(length)
		}
		return s.At, s.At + time.Second
	}
	af, at := span(a)
	bf, bt := span(b)
	return af-time.Second < bt && bf < at+time.Second
}

// overlap says whether two steps are in force at the same moment; an
// instant step counts for a second.
func overlap(a, b Step, length time.Duration) bool {
	end := func(s Step) time.Duration {
		if !s.Lasting() {
			return s.At + time.Second
		}
		return s.End(length)
	}
	return a.At < end(b) && b.At < end(a)
}

// Fault is the step's fault as a scenario writes it, decoded by the
// vocabulary: {node: N, container: {action: kill, signal: SIGTERM}}.
func (s Step) Fault() (vocab.Fault, error) {
	var f vocab.Fault
	if s.Kind == ReloadKind {
		return f, fmt.Errorf("a reload is not a fault")
	}
	src := "{node: " + s.Node + ", " + s.faultBody() + "}"
	if err := yaml.Unmarshal([]byte(src), &f); err != nil {
		return f, fmt.Errorf("step %s: %s: %w", s.Name(), src, err)
	}
	return f, nil
}

func mustFault(s Step) vocab.Fault { f, _ := s.Fault(); return f }

// faultBody is "container: {action: kill, signal: SIGTERM}": the key
// that names the kind in its family, then its drawn values.
func (s Step) faultBody() string {
	fam, name, _ := strings.Cut(s.Kind, ".")
	var parts []string
	if def, ok := faults.Family(fam).Def(); ok && def.Key != "" {
		parts = append(parts, def.Key+": "+name)
	}
	for _, v := range s.Values {
		parts = append(parts, v.String())
	}
	return fam + ": {" + strings.Join(parts, ", ") + "}"
}
