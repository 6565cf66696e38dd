package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// TestLinksResolve: every relative link of README.md and docs/*.md names
// a committed file (not reports/, which is gitignored), and every #anchor
// a heading of its target, as GitHub derives anchors from headings.
func TestLinksResolve(t *testing.T) {
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	for _, file := range docFiles(t) {
		b, err := os.ReadFile(filepath.Join(root, file))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllSubmatchIndex(b, -1) {
			target := string(b[m[2]:m[3]])
			line := strings.Count(string(b[:m[0]]), "\n") + 1
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			path, anchor, _ := strings.Cut(target, "#")
			dest := filepath.Join(root, file) // a bare #anchor is in the same file
			if path != "" {
				dest = filepath.Join(root, filepath.Dir(file), path)
			}
			rel, _ := filepath.Rel(root, dest)
			if strings.HasPrefix(rel, "reports"+string(filepath.Separator)) || rel == "reports" {
				t.Errorf("%s:%d: %s: reports/ is not committed, the link leads nowhere", file, line, target)
				continue
			}
			if _, err := os.Stat(dest); err != nil {
				t.Errorf("%s:%d: %s: %v", file, line, target, err)
				continue
			}
			if anchor != "" && !hasAnchor(t, dest, anchor) {
				t.Errorf("%s:%d: %s: %s has no heading with the anchor #%s", file, line, target, rel, anchor)
			}
		}
	}
}

// hasAnchor says whether a heading of the Markdown file md has the anchor.
func hasAnchor(t *testing.T, md, anchor string) bool {
	b, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	inFence := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "```") {
			inFence = !inFence
		}
		if inFence || !strings.HasPrefix(line, "#") {
			continue
		}
		if githubAnchor(strings.TrimLeft(line, "# ")) == anchor {
			return true
		}
	}
	return false
}

// githubAnchor is the anchor GitHub gives a heading: lower case, spaces
// to hyphens, other punctuation dropped.
func githubAnchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestREADMEIsShort: the README is the first screen and a page more; the
// long versions live in docs/.
func TestREADMEIsShort(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n > 150 {
		t.Errorf("README.md has %d lines, want at most 150: move the rest to docs/", n)
	}
}

// TestProxyPackagesCheckLeaks keeps docs/dependencies.md's goleak line
// true: every package under proxy/ that has tests runs them under
// proxy/internal/leakcheck's TestMain.
func TestProxyPackagesCheckLeaks(t *testing.T) {
	err := filepath.WalkDir(filepath.Join(root, "proxy"), func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		tests, _ := filepath.Glob(filepath.Join(path, "*_test.go"))
		if len(tests) == 0 {
			return nil
		}
		for _, f := range tests {
			b, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			if strings.Contains(string(b), "leakcheck.Main(m)") {
				return nil
			}
		}
		rel, _ := filepath.Rel(root, path)
		t.Errorf("%s has tests but no TestMain calling leakcheck.Main (add a leak_test.go as the other proxy packages have)", rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestREADMEScenarioIsTheFile: the scenario on the README's first screen
// is scenarios/primary-answers-500.yaml as committed, so the output shown
// under it (its line numbers too) is that file's.
func TestREADMEScenarioIsTheFile(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile(filepath.Join(root, "scenarios", "primary-answers-500.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindSubmatch(readme)
	if m == nil || string(m[1]) != string(file) {
		t.Errorf("README.md's first yaml block is not scenarios/primary-answers-500.yaml; paste the file:\n%s", file)
	}
}
