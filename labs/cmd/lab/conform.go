package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/failover-lab/failover-lab/labs"
	"github.com/failover-lab/failover-lab/labs/conformance"
	"github.com/failover-lab/failover-lab/labs/drivers"
	"github.com/failover-lab/failover-lab/labs/report"
	"github.com/failover-lab/failover-lab/labs/runner"
	"github.com/failover-lab/failover-lab/labs/scenario"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

func init() {
	verbs["conform"] = verb{run: runConform, usage: "conform [-kinds builtin,apache,nginx,haproxy] [-proxy PROXYFILE]... [-driver auto|docker|process] [-docker-host-ip ADDR] [-load-in-network] [-parallel N] [-report DIR] [FILE...]  run the scenario library (default scenarios/*.yaml) in front of each proxy kind, and of each proxy a file gives (image or command and your config): the matrix in reports/conformance/ (index.html, matrix.md, printed), each run's report in reports/conformance/COLUMN/NAME/"}
}

// defaultKinds is the order of the matrix's columns: ours first.
var defaultKinds = []vocab.ProxyKind{vocab.ProxyBuiltin, vocab.ProxyApache, vocab.ProxyNginx, vocab.ProxyHAProxy}

func runConform(ctx context.Context, args []string) error {
	return conformTo(ctx, args, os.Stdout, os.Stderr)
}

// conformTo checks every file first (an invalid one runs nothing), runs
// every scenario in front of every kind, at most -parallel at once, and
// writes the matrix even when interrupted. Exit codes as lab run: a run
// the lab could not make outweighs failed expectations; skipped cells
// count for nothing.
func conformTo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("conform", stderr)
	kindList := fs.String("kinds", joinKinds(defaultKinds), "the proxy kinds, the matrix's first columns, comma-separated; \"\" for none")
	var proxyFiles fileList
	fs.Var(&proxyFiles, "proxy", "a proxy file (name, and a scenario's proxy mapping: image or command, your config template): one more column, after the kinds; repeatable (docs/other-proxies.md)")
	driverName := fs.String("driver", "", "docker, process or auto (default: $LAB_DRIVER, else auto)")
	hostIP := fs.String("docker-host-ip", "", dockerHostIPUsage)
	place := loadPlaceFlag(fs)
	parallel := fs.Int("parallel", 2, "runs at once; each keeps a proxy, its nodes and a load generator busy")
	root := fs.String("report", filepath.Join("reports", "conformance"), "directory of the matrix and of the runs' reports")
	if err := fs.parse(args); err != nil {
		return err
	}
	columns, err := parseColumns(*kindList, proxyFiles)
	if err != nil {
		return err
	}
	if *parallel < 1 {
		return fmt.Errorf("%w: -parallel: must be at least 1 (got %d)", errUsage, *parallel)
	}
	files := fs.Args()
	if len(files) == 0 {
		files, _ = filepath.Glob(filepath.Join("scenarios", "*.yaml"))
		if len(files) == 0 {
			return fmt.Errorf("%w: no scenario file, and no scenarios/*.yaml here", errUsage)
		}
	}
	ss, err := parseScenarios(files, nil)
	if err != nil {
		return err
	}
	d, err := cliDriver(ctx, *driverName, *hostIP, place())
	if err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if name := d.Name(); name != "docker" && name != "process" {
		return fmt.Errorf("%w: -driver: conform starts its own runs: docker, process or auto (got %s)", errUsage, name)
	}
	m := &conformance.Matrix{Command: strings.Join(append([]string{"lab conform"}, args...), " "), Driver: d.Name()}
	for _, c := range columns {
		m.Columns = append(m.Columns, c.name)
	}
	started := time.Now()
	conform(ctx, m, columns, ss, d, *parallel, *root, stdout)
	m.Generated = time.Now()
	if err := writeMatrix(m, *root, stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s, %s\n", filepath.Join(*root, "index.html"), tallies(m), time.Since(started).Round(time.Second))
	return matrixErr(ctx, m)
}

// column is one proxy of the matrix: a kind, or the proxy of a file.
type column struct {
	name string
	kind vocab.ProxyKind
	file *scenario.ProxyFile
}

// in is s in front of the column's proxy, or why it cannot be.
func (c column) in(s *scenario.Scenario) (*scenario.Scenario, error) {
	if c.file != nil {
		return s.WithProxy(c.file)
	}
	return s.WithKind(c.kind)
}

// fileList is a repeatable flag.
type fileList []string

func (l *fileList) String() string     { return strings.Join(*l, ",") }
func (l *fileList) Set(v string) error { *l = append(*l, v); return nil }

// parseColumns reads -kinds and the -proxy files: the kinds first, then
// the files' proxies, every name once.
func parseColumns(kindList string, files []string) ([]column, error) {
	var cols []column
	if kindList != "" {
		kinds, err := parseKinds(kindList)
		if err != nil {
			return nil, err
		}
		for _, k := range kinds {
			cols = append(cols, column{name: string(k), kind: k})
		}
	}
	for _, f := range files {
		pf, err := scenario.ParseProxyFile(f)
		if err != nil {
			return nil, fmt.Errorf("%w: -proxy: %w", errUsage, err)
		}
		if slices.ContainsFunc(cols, func(c column) bool { return c.name == pf.Name }) {
			return nil, fmt.Errorf("%w: -proxy %s: a column is already named %s (set name: in the file)", errUsage, f, pf.Name)
		}
		cols = append(cols, column{name: pf.Name, file: pf})
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("%w: -kinds is empty and no -proxy given: no column", errUsage)
	}
	return cols, nil
}

// parseKinds reads -kinds: known kinds, each once.
func parseKinds(list string) ([]vocab.ProxyKind, error) {
	var kinds []vocab.ProxyKind
	for _, k := range strings.Split(list, ",") {
		kind := vocab.ProxyKind(strings.TrimSpace(k))
		switch {
		case !slices.Contains(vocab.ProxyKinds, kind):
			return nil, fmt.Errorf("%w: -kinds: each must be one of %v (got %q)", errUsage, vocab.ProxyKinds, kind)
		case slices.Contains(kinds, kind):
			return nil, fmt.Errorf("%w: -kinds: %s twice", errUsage, kind)
		}
		kinds = append(kinds, kind)
	}
	return kinds, nil
}

func joinKinds(kinds []vocab.ProxyKind) string {
	var s []string
	for _, k := range kinds {
		s = append(s, string(k))
	}
	return strings.Join(s, ",")
}

// conform fills m's rows: every scenario in front of every column's
// proxy, the runs the driver accepts at most parallel at once, a line as
// each ends.
func conform(ctx context.Context, m *conformance.Matrix, columns []column, ss []*scenario.Scenario, d labs.Driver, parallel int, root string, stdout io.Writer) {
	type job struct {
		s      *scenario.Scenario
		column string
		cell   *conformance.Cell
	}
	var jobs []job
	m.Rows = make([]conformance.Row, len(ss))
	for i, s := range ss {
		m.Rows[i] = conformance.Row{Scenario: s.Name, About: s.About, Cells: make([]conformance.Cell, len(columns))}
		for j, col := range columns {
			cell := &m.Rows[i].Cells[j]
			k, err := col.in(s)
			if err == nil {
				err = drivers.Supports(d, k.Topology())
			}
			if err != nil {
				*cell = conformance.Skip(err)
				continue
			}
			jobs = append(jobs, job{k, col.name, cell})
		}
	}
	var out sync.Mutex
	done := 0
	slots := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for _, j := range jobs {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			*j.cell = conformance.Cell{Verdict: conformance.Error, Why: "not run: " + context.Cause(ctx).Error()}
			continue
		}
		wg.Go(func() {
			defer func() { <-slots }()
			began := time.Now()
			*j.cell = conformOne(ctx, j.s, j.column, d, root)
			out.Lock()
			done++
			fmt.Fprintf(stdout, "[%d/%d] %s × %s: %s (%s)\n", done, len(jobs), j.s.Name, j.column, verdictLine(*j.cell), time.Since(began).Round(100*time.Millisecond))
			out.Unlock()
		})
	}
	wg.Wait()
}

// conformOne runs s silently and writes its report to root/COLUMN/NAME/.
func conformOne(ctx context.Context, s *scenario.Scenario, column string, d labs.Driver, root string) conformance.Cell {
	r := runner.Run(ctx, s, d, runner.Options{})
	rel := filepath.Join(column, s.Name, "index.html")
	if _, err := report.WriteDir(filepath.Join(root, filepath.Dir(rel)), r); err != nil {
		r.Err = errors.Join(r.Err, err)
		rel = ""
	}
	return conformance.CellOf(r, filepath.ToSlash(rel))
}

// verdictLine is "pass", "FAIL 1 of 3: failback time" or "error: why".
func verdictLine(c conformance.Cell) string {
	switch c.Verdict {
	case conformance.Fail:
		return fmt.Sprintf("FAIL %d of %d: %s", c.Failed, c.Expectations, c.Why)
	case conformance.Error:
		return "error: " + c.Why
	}
	return string(c.Verdict)
}

// writeMatrix writes root/index.html and root/matrix.md, and prints the
// Markdown with links from the working directory.
func writeMatrix(m *conformance.Matrix, root string, stdout io.Writer) error {
	var page, md, printed bytes.Buffer
	if err := m.HTML(&page); err != nil {
		return err
	}
	if err := m.Markdown(&md, ""); err != nil {
		return err
	}
	if err := m.Markdown(&printed, filepath.ToSlash(root)); err != nil {
		return err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return err
	}
	for name, data := range map[string][]byte{"index.html": page.Bytes(), "matrix.md": md.Bytes()} {
		if err := os.WriteFile(filepath.Join(root, name), data, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "\n%s\n", printed.Bytes())
	return nil
}

// tallies is "builtin 18 of 23 pass, 2 skipped; nginx ...".
func tallies(m *conformance.Matrix) string {
	var parts []string
	for i, c := range m.Columns {
		parts = append(parts, fmt.Sprintf("%s %s", c, m.Tally(i)))
	}
	return strings.Join(parts, "; ")
}

// matrixErr is the verb's error: the runs that could not be made, else
// the ones that failed, else nil.
func matrixErr(ctx context.Context, m *conformance.Matrix) error {
	var failed, cannotRun, ran int
	for _, r := range m.Rows {
		for _, c := range r.Cells {
			if c.Verdict != conformance.Skipped {
				ran++
			}
			switch c.Verdict {
			case conformance.Fail:
				failed++
			case conformance.Error:
				cannotRun++
			}
		}
	}
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("interrupted: %w", context.Cause(ctx))
	case cannotRun > 0:
		return fmt.Errorf("%d of %d runs could not be made", cannotRun, ran)
	case failed > 0:
		return fmt.Errorf("%d of %d runs: %w", failed, ran, errFailed)
	}
	return nil
}
