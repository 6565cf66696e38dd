package explore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/failover-lab/failover-lab/labs/expect"
	"github.com/failover-lab/failover-lab/labs/report"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

// RunFunc runs one scenario to its report: runner.Run on a driver, or a
// synthetic run in tests.
type RunFunc func(ctx context.Context, s *scenario.Scenario) report.Run

// Explorer is one search: Runs plans drawn from Seed (or as many as fit
// in For), at most Parallel at once, each checked against the invariants;
// the first violation of each invariant is then shrunk.
type Explorer struct {
	Base     *Base
	Seed     uint64
	Runs     int           // plans to try; with For, at most this many (0: no limit)
	For      time.Duration // stop starting runs after this
	Parallel int
	Run      RunFunc
	// NoShrink reports violations with their original plans only.
	NoShrink bool
	// MaxTries bounds the candidates of each shrink (default 40).
	MaxTries int
	// Out is where the search writes (reports/explore): the minimal
	// scenarios, index.html, each run's report under runs/.
	Out string
	// Progress hears a line per run and per shrinking step; nil is silence.
	Progress func(line string)
	// Command is shown on the index page: "lab explore -runs 30 ...".
	Command string
}

// Verdicts of one run.
const (
	Passed    = "pass"
	Violated  = "VIOLATED"
	NotJudged = "not judged" // passed, but a window held no request
	CannotRun = "error"      // the lab could not make the run
)

// Outcome is one run of the search.
type Outcome struct {
	N        int
	Name     string
	Plan     Plan
	Verdict  string
	Violated []Invariant
	Why      string // the first failed expectation's measure, or the run's error
	Report   string // its report's index.html, relative to Out
}

// Violation is one invariant a run broke, and what it shrank to.
type Violation struct {
	Invariant  Invariant
	Outcome    Outcome
	Reproduced bool   // failed again (2 of 3 with the run that found it): shrunk
	Shrunk     bool   // the shrinker ran (not -no-shrink)
	Minimal    Plan   // == Outcome.Plan when not shrunk
	File       string // the minimal scenario, relative to Out
	YAML       []byte
	Tries      int // candidates run while shrinking
	Measured   string
}

// Summary is the whole search.
type Summary struct {
	Seed       uint64
	Command    string
	Search     Search
	Outcomes   []Outcome
	Violations []Violation
	Coverage   Coverage
	Took       time.Duration
}

// Counts of the outcomes' verdicts.
func (s Summary) Count(verdict string) int {
	n := 0
	for _, o := range s.Outcomes {
		if o.Verdict == verdict {
			n++
		}
	}
	return n
}

func (x *Explorer) say(format string, args ...any) {
	if x.Progress != nil {
		x.Progress(fmt.Sprintf(format, args...))
	}
}

// PlanOf is the plan of run n of a seed: the same seed and n give the
// same plan, whatever ran before or beside it.
func PlanOf(sr Search, seed uint64, n int) Plan {
	return sr.Generate(rand.New(rand.NewPCG(seed, uint64(n))))
}

// Explore runs the search and writes its report under Out.
func (x *Explorer) Explore(ctx context.Context) (Summary, error) {
	began := time.Now()
	sr := SearchOf(x.Base.Scenario)
	sum := Summary{Seed: x.Seed, Command: x.Command, Search: sr}
	deadline := time.Time{}
	if x.For > 0 {
		deadline = began.Add(x.For)
	}
	slots := make(chan struct{}, max(x.Parallel, 1))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for n := 1; x.Runs == 0 || n <= x.Runs; n++ {
		if x.Runs == 0 && deadline.IsZero() {
			break
		}
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil || (!deadline.IsZero() && time.Now().After(deadline)) {
			if ctx.Err() == nil {
				<-slots
			}
			break
		}
		wg.Go(func() {
			defer func() { <-slots }()
			o := x.one(ctx, sr, n)
			mu.Lock()
			sum.Outcomes = append(sum.Outcomes, o)
			done := len(sum.Outcomes)
			mu.Unlock()
			total := "?"
			if x.Runs > 0 {
				total = fmt.Sprint(x.Runs)
			}
			x.say("[%d/%s] run %d: %s%s  (%d events: %s)", done, total, n, o.Verdict, prefixed(": ", o.Why), len(o.Plan.Steps), kindsOf(o.Plan))
		})
	}
	wg.Wait()
	slices.SortFunc(sum.Outcomes, func(a, b Outcome) int { return a.N - b.N })
	sum.Coverage = CoverageOf(x.Base.Scenario, sr, sum.Outcomes)
	sum.Violations = x.violations(ctx, sr, sum.Outcomes)
	sum.Took = time.Since(began)
	return sum, x.write(sum)
}

// one makes run n.
func (x *Explorer) one(ctx context.Context, sr Search, n int) Outcome {
	p := PlanOf(sr, x.Seed, n)
	o := Outcome{N: n, Name: fmt.Sprintf("explore-%d-%03d", x.Seed, n), Plan: p}
	r, err := x.runPlan(ctx, o.Name, p, nil)
	if err != nil {
		o.Verdict, o.Why = CannotRun, err.Error()
	} else {
		o.Verdict, o.Violated, o.Why = judge(r)
	}
	if x.Out != "" && r.Scenario != nil { // a run that failed keeps its ledger up to the failure
		rel := filepath.Join("runs", o.Name)
		if _, err := report.WriteDir(filepath.Join(x.Out, rel), r); err == nil {
			o.Report = filepath.ToSlash(filepath.Join(rel, "index.html"))
		}
	}
	return o
}

// runPlan renders p as a scenario whose expectations are the invariants
// (only those of keep, when set) and runs it.
func (x *Explorer) runPlan(ctx context.Context, name string, p Plan, keep *Invariant) (report.Run, error) {
	es := Compile(x.Base.Scenario, p)
	if keep != nil {
		es = Only(es, *keep)
	}
	data, err := x.Base.File(name, "generated by lab explore", p, es, nil, "")
	if err != nil {
		return report.Run{}, err
	}
	s, err := x.Base.Parse(name, data)
	if err != nil {
		return report.Run{}, fmt.Errorf("explore made a scenario it cannot read (a bug): %w\n%s", err, data)
	}
	r := x.Run(ctx, s)
	return r, r.Err
}

// judge reads a run's verdict: the invariants it broke, and windows that
// held no request (not judged: never counted against the proxy).
func judge(r report.Run) (verdict string, violated []Invariant, why string) {
	verdict = Passed
	for _, res := range expect.Failed(r.Results) {
		if NotJudgedResult(res) {
			if verdict == Passed {
				verdict, why = NotJudged, res.Name()+": "+res.Measured
			}
			continue
		}
		if id := InvariantOf(res.Expectation); !slices.Contains(violated, id) {
			violated = append(violated, id)
		}
		if verdict != Violated {
			verdict, why = Violated, res.Name()+": "+res.Measured
		}
	}
	return verdict, violated, why
}

// NotJudgedResult says whether a failed expectation failed only because
// its window held no request: the lab's timing, not the proxy.
func NotJudgedResult(r expect.Result) bool {
	return r.NotJudged
}

// violations shrinks the first violation of each invariant.
func (x *Explorer) violations(ctx context.Context, sr Search, outs []Outcome) []Violation {
	var vs []Violation
	var done []Invariant
	for _, o := range outs {
		for _, id := range o.Violated {
			if slices.Contains(done, id) || ctx.Err() != nil {
				continue
			}
			done = append(done, id)
			vs = append(vs, x.shrink(ctx, sr, o, id))
		}
	}
	return vs
}

// shrink confirms a violation by the 2-of-3 rule (the run that found it
// counts as one) and shrinks it, then writes the minimal scenario.
func (x *Explorer) shrink(ctx context.Context, sr Search, o Outcome, id Invariant) Violation {
	v := Violation{Invariant: id, Outcome: o, Minimal: o.Plan, Measured: o.Why}
	name := o.Name + "-min"
	fails := func(p Plan) bool {
		if ctx.Err() != nil {
			return false
		}
		r, err := x.runPlan(ctx, name, p, &id)
		if err != nil {
			return false // a run the lab could not make shows nothing
		}
		_, violated, why := judge(r)
		if slices.Contains(violated, id) {
			v.Measured = why
			return true
		}
		return false
	}
	if !x.NoShrink {
		x.say("shrinking run %d's %s violation (%d events); each candidate must fail 2 runs in a row", o.N, id, len(o.Plan.Steps))
		v.Shrunk = true
		v.Reproduced = Repeat(fails, 1, 2)(o.Plan) // with the run that found it: 2 of 3
		if v.Reproduced {
			s := &Shrinker{Fails: Repeat(fails, 2, 2), Valid: sr.Valid, MaxTries: x.maxTries(), Progress: func(l string) { x.say("  %s", l) }}
			v.Minimal = s.Shrink(o.Plan)
			v.Tries = s.Tries
			fails(v.Minimal) // its measure, for the summary
		} else {
			x.say("run %d's %s violation did not come back in 2 more runs: reported unshrunk", o.N, id)
		}
	}
	header := []string{
		fmt.Sprintf("lab explore, seed %d, run %d: invariant %s violated", x.Seed, o.N, id),
		"  " + invariantDoc(id),
		fmt.Sprintf("shrunk: %t (%d candidates, each failing 2 runs in a row)", v.Reproduced && !x.NoShrink, v.Tries),
		"the original timeline:",
	}
	for _, l := range strings.Split(strings.TrimSpace(o.Plan.String()), "\n") {
		header = append(header, "  "+l)
	}
	about := fmt.Sprintf("Found by lab explore (seed %d, run %d) - %s.", x.Seed, o.N, invariantDoc(id))
	data, err := x.Base.File(name, about, v.Minimal, Only(Compile(x.Base.Scenario, v.Minimal), id), header, x.Out)
	if err == nil {
		v.YAML = data
		v.File = name + ".yaml"
	}
	return v
}

func (x *Explorer) maxTries() int {
	if x.MaxTries > 0 {
		return x.MaxTries
	}
	return 40
}

func invariantDoc(id Invariant) string {
	for _, inv := range Invariants {
		if inv.ID == id {
			return inv.Doc
		}
	}
	return string(id)
}

// write writes the minimal scenarios and index.html under Out.
func (x *Explorer) write(sum Summary) error {
	if x.Out == "" {
		return nil
	}
	if err := os.MkdirAll(x.Out, 0o755); err != nil {
		return fmt.Errorf("explore: %w", err)
	}
	for _, v := range sum.Violations {
		if v.File == "" {
			continue
		}
		if err := os.WriteFile(filepath.Join(x.Out, v.File), v.YAML, 0o644); err != nil {
			return fmt.Errorf("explore: %w", err)
		}
	}
	f, err := os.Create(filepath.Join(x.Out, "index.html"))
	if err != nil {
		return fmt.Errorf("explore: %w", err)
	}
	defer f.Close()
	return HTML(f, sum)
}

func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}

func kindsOf(p Plan) string {
	var ks []string
	for _, s := range p.Steps {
		ks = append(ks, strings.TrimSpace(s.Node+" "+s.Kind))
	}
	return strings.Join(ks, ", ")
}
