package explore

import (
	"slices"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/labs/faults"
)

// Oracle says whether a candidate plan still shows the failure. For real
// runs it is Repeat around a run: noise on a 2-core machine must not pass
// for a failure.
type Oracle func(Plan) bool

// Shrinker makes a failing plan as small as it can while Fails still holds:
// delta debugging (Zeller's ddmin) over the steps first, then each step on
// its own — smaller values (numbers down to the least that still fails, by
// bisection on the param's grid; choices towards the first), shorter
// faults, rounder and earlier times, fewer nodes — and last a shorter run.
// Every candidate goes through Valid first, and each distinct candidate
// is judged once.
type Shrinker struct {
	Fails Oracle
	// Valid refuses candidates that break the generator's own rules (two
	// container faults at once on one node); nil accepts all.
	Valid func(Plan) bool
	// Grid is the grain of times (default 100ms); MinFor the shortest
	// fault (default 1s); Lead the calm before the first step (default
	// 2s); Tail the calm after the last clear (default 3s).
	Grid, MinFor, Lead, Tail time.Duration
	// Progress hears each candidate that still failed.
	Progress func(line string)
	// MaxTries bounds the candidates run (0: no bound); once spent, every
	// further candidate counts as passing and the shrinker returns the
	// smallest failing plan so far. Real runs cost seconds each.
	MaxTries int

	// Tries counts the candidates judged (cache misses).
	Tries int
	seen  map[string]bool
}

func (s *Shrinker) defaults() {
	if s.Grid <= 0 {
		s.Grid = 100 * time.Millisecond
	}
	if s.MinFor <= 0 {
		s.MinFor = time.Second
	}
	if s.Lead <= 0 {
		s.Lead = 2 * time.Second
	}
	if s.Tail <= 0 {
		s.Tail = 3 * time.Second
	}
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
}

// fails judges a candidate, once.
func (s *Shrinker) fails(p Plan) bool {
	p = p.sorted()
	key := p.String()
	if v, ok := s.seen[key]; ok {
		return v
	}
	v := false
	if s.MaxTries > 0 && s.Tries >= s.MaxTries {
		return false // the budget is spent; not remembered
	}
	if s.Valid == nil || s.Valid(p) {
		s.Tries++
		v = s.Fails(p)
	}
	s.seen[key] = v
	if v && s.Progress != nil {
		s.Progress("still fails: " + oneLine(p))
	}
	return v
}

// Shrink returns the smallest plan it found that still fails; p itself
// must fail.
func (s *Shrinker) Shrink(p Plan) Plan {
	s.defaults()
	p = p.clone().sorted()
	s.seen[p.String()] = true
	p = s.ddmin(p)
	p = s.shorten(s.shift(p)) // shorter runs make every later candidate cheaper
	for range 3 {             // each pass can open the way for another
		before := p.String()
		for i := range p.Steps {
			p = s.simplifyStep(p, i)
		}
		p = s.shift(p)
		p = s.shorten(p)
		if p.String() == before {
			break
		}
	}
	return p.sorted()
}

// ddmin finds a 1-minimal subset of the steps that still fails.
func (s *Shrinker) ddmin(p Plan) Plan {
	with := func(steps []Step) Plan { return Plan{Length: p.Length, Steps: steps} }
	if len(p.Steps) > 0 && s.fails(with(nil)) {
		return with(nil)
	}
	steps := p.Steps
	n := 2
	for len(steps) >= 2 {
		chunks := split(steps, n)
		reduced := false
		for _, c := range chunks { // a chunk alone
			if s.fails(with(c)) {
				steps, n, reduced = c, 2, true
				break
			}
		}
		if !reduced && n > 2 {
			for i := range chunks { // everything but a chunk
				if c := complement(chunks, i); s.fails(with(c)) {
					steps, n, reduced = c, max(n-1, 2), true
					break
				}
			}
		}
		if !reduced {
			if n >= len(steps) {
				break
			}
			n = min(2*n, len(steps))
		}
	}
	return with(steps)
}

func split(steps []Step, n int) [][]Step {
	var out [][]Step
	for i := range n {
		lo, hi := i*len(steps)/n, (i+1)*len(steps)/n
		if hi > lo {
			out = append(out, slices.Clone(steps[lo:hi]))
		}
	}
	return out
}

func complement(chunks [][]Step, skip int) []Step {
	var out []Step
	for i, c := range chunks {
		if i != skip {
			out = append(out, c...)
		}
	}
	return out
}

// simplifyStep tries, on step i: smaller values, a shorter fault, a
// rounder time, a node already used by another step.
func (s *Shrinker) simplifyStep(p Plan, i int) Plan {
	id := p.Steps[i].ID
	at := func(p Plan) int { return slices.IndexFunc(p.Steps, func(st Step) bool { return st.ID == id }) }
	change := func(p Plan, f func(*Step)) Plan {
		c := p.clone()
		f(&c.Steps[at(c)])
		return c
	}
	for k := range p.Steps[i].Values {
		p = s.simplifyValue(p, change, at, k)
	}
	if st := p.Steps[at(p)]; st.For > s.MinFor {
		lo := s.least(int64(s.MinFor), int64(st.For), int64(s.Grid), func(x int64) bool {
			return s.fails(change(p, func(st *Step) { st.For = time.Duration(x) }))
		})
		p = change(p, func(st *Step) { st.For = time.Duration(lo) })
	}
	p = s.rounder(p, change, at)
	return s.fewerNodes(p, change, at)
}

// simplifyValue shrinks value k of the step: a number to the least on its
// grid that still fails, a choice to the first that does.
func (s *Shrinker) simplifyValue(p Plan, change func(Plan, func(*Step)) Plan, at func(Plan) int, k int) Plan {
	v := p.Steps[at(p)].Values[k]
	set := func(p Plan, nv faults.Value) Plan { return change(p, func(st *Step) { st.Values[k] = nv }) }
	if v.Type == faults.Choice {
		for _, c := range v.Choices {
			if c == v.S {
				break
			}
			nv := v
			nv.S = c
			if cand := set(p, nv); s.fails(cand) {
				return cand
			}
		}
		return p
	}
	if v.N <= v.Min {
		return p
	}
	lo := s.least(v.Min, v.N, v.Grid(), func(x int64) bool {
		nv := v
		nv.N = x
		return s.fails(set(p, nv))
	})
	v.N = lo
	return set(p, v)
}

// least is the least x in [lo, hi] on the grid from lo for which fails(x)
// holds, given that fails(hi) does (bisection: failures are taken to be
// monotone in x).
func (s *Shrinker) least(lo, hi, grid int64, fails func(int64) bool) int64 {
	if fails(lo) {
		return lo
	}
	for hi-lo > grid {
		mid := lo + grid*((hi-lo)/grid/2)
		if mid <= lo {
			mid = lo + grid
		}
		if mid >= hi {
			break
		}
		if fails(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// rounder moves the step to a rounder time: a whole second, else half a
// second, else the grid.
func (s *Shrinker) rounder(p Plan, change func(Plan, func(*Step)) Plan, at func(Plan) int) Plan {
	cur := p.Steps[at(p)].At
	for _, unit := range []time.Duration{time.Second, time.Second / 2, s.Grid} {
		if cur%unit == 0 {
			return p
		}
		for _, t := range []time.Duration{cur.Truncate(unit), cur.Truncate(unit) + unit} {
			if cand := change(p, func(st *Step) { st.At = t }); s.fails(cand) {
				return cand
			}
		}
	}
	return p
}

// fewerNodes moves the step onto a node another step already uses.
func (s *Shrinker) fewerNodes(p Plan, change func(Plan, func(*Step)) Plan, at func(Plan) int) Plan {
	st := p.Steps[at(p)]
	if st.Node == "" {
		return p
	}
	for _, n := range p.Nodes() {
		others := slices.ContainsFunc(p.Steps, func(o Step) bool { return o.ID != st.ID && o.Node == st.Node })
		if n == st.Node || others {
			continue
		}
		if cand := change(p, func(x *Step) { x.Node = n }); s.fails(cand) {
			return cand
		}
	}
	return p
}

// shift moves every step earlier together, so the first comes Lead after
// the start.
func (s *Shrinker) shift(p Plan) Plan {
	if len(p.Steps) == 0 || p.Steps[0].At <= s.Lead {
		return p
	}
	d := p.Steps[0].At - s.Lead
	c := p.clone()
	for i := range c.Steps {
		c.Steps[i].At -= d
	}
	c.Length -= d
	if s.fails(c) {
		return c
	}
	return p
}

// shorten ends the run as early as still fails, but not before Tail after
// the last step ends.
func (s *Shrinker) shorten(p Plan) Plan {
	floor := s.Lead + s.Tail
	for _, st := range p.Steps {
		end := st.At
		if st.For > 0 {
			end = st.At + st.For
		}
		floor = max(floor, end+s.Tail)
	}
	floor = floor.Round(time.Second)
	if floor >= p.Length {
		return p
	}
	with := func(l time.Duration) Plan {
		c := p.clone()
		c.Length = l
		return c
	}
	l := s.least(int64(floor), int64(p.Length), int64(time.Second), func(x int64) bool { return s.fails(with(time.Duration(x))) })
	return with(time.Duration(l))
}

// oneLine is the plan's steps on one line, for progress.
func oneLine(p Plan) string {
	var parts []string
	for _, st := range p.Steps {
		parts = append(parts, st.String())
	}
	if len(parts) == 0 {
		return "no events, end +" + fmtDur(p.Length)
	}
	return strings.Join(parts, "; ") + "; end +" + fmtDur(p.Length)
}
