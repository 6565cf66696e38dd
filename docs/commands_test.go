package docs

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/fixtures/certs"
)

// binaries builds failover-proxy and lab once for the commands below.
func binaries(t *testing.T) (proxy, lab string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binaries")
	}
	dir := t.TempDir()
	for _, pkg := range []string{"../proxy/cmd/failover-proxy", "../labs/cmd/lab"} {
		if out, err := exec.Command("go", "build", "-o", dir+"/", pkg).CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, out)
		}
	}
	return filepath.Join(dir, "failover-proxy"), filepath.Join(dir, "lab")
}

// exampleCerts returns a temporary folder holding the certificate files
// that docs/proxy.md's TLS example names (site, other, proxy-client and
// the members' CA), so that its -check and Parse find real files.
func exampleCerts(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ca, err := certs.NewCA("docs example CA")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ca.WriteFile(dir, "members-ca"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"site", "other", "proxy-client"} {
		pair, err := ca.Issue(certs.Leaf{Names: []string{name + ".example"}, Client: name == "proxy-client"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := pair.WriteFiles(dir, name); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// run runs a command in dir and returns its exit code and output.
func run(t *testing.T, dir string, name string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return code, o.String(), e.String()
}

// TestCheckExamples runs `failover-proxy -check` on every whole config
// of the docs (exit 0, "FILE: ok"), and on the broken variants whose
// output README.md and docs/proxy.md quote, wanting exactly that output.
func TestCheckExamples(t *testing.T) {
	proxy, _ := binaries(t)
	dir := exampleCerts(t)
	var configs []example
	for _, e := range yamlExamples(t) {
		if e.kind() == "config" {
			configs = append(configs, e)
		}
	}
	for _, e := range configs {
		if err := os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte(e.body), 0o644); err != nil {
			t.Fatal(err)
		}
		if code, out, errOut := run(t, dir, proxy, "-check", "lab.yaml"); code != 0 || out != "lab.yaml: ok\n" {
			t.Errorf("%s:%d: failover-proxy -check: got exit %d %q %q, want 0 and \"lab.yaml: ok\"", e.file, e.line, code, out, errOut)
		}
	}
	standby := `url: "http://127.0.0.1:9002"`
	for _, tt := range []struct {
		doc     string
		replace []string // old, new, ...
		want    string   // the line the doc quotes
	}{
		{"docs/proxy.md", []string{standby, `url: "ftp://127.0.0.1:9002"`},
			"lab.yaml:33:14: pools.web.members[1].url: scheme must be http or https"},
		{"docs/proxy.md", []string{"    health:", "    helth:"},
			"lab.yaml:35:5: pools.web.helth: unknown field (did you mean \"health\"?)"},
	} {
		doc, err := os.ReadFile(filepath.Join(root, tt.doc))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(doc, []byte(tt.want)) {
			t.Errorf("%s no longer quotes %q: update this test with the doc", tt.doc, tt.want)
		}
		var body string
		for _, e := range configs {
			if e.file == filepath.Join(root, tt.doc) {
				body = e.body
				break // the first config of the doc is the one it quotes
			}
		}
		if !strings.Contains(body, tt.replace[0]) {
			t.Fatalf("%s: its config example lacks %q", tt.doc, tt.replace[0])
		}
		body = strings.Replace(body, tt.replace[0], tt.replace[1], 1)
		if err := os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if code, _, errOut := run(t, dir, proxy, "-check", "lab.yaml"); code != 1 || errOut != tt.want+"\n" {
			t.Errorf("%s: failover-proxy -check: got exit %d %q, want 1 and %q", tt.doc, code, errOut, tt.want)
		}
	}
}

// TestHelpAndVersion runs the help and version commands the docs name.
func TestHelpAndVersion(t *testing.T) {
	proxy, lab := binaries(t)
	dir := t.TempDir()
	if code, out, _ := run(t, dir, proxy, "version"); code != 0 || !strings.HasPrefix(out, "failover-proxy ") {
		t.Errorf("failover-proxy version: got exit %d %q", code, out)
	}
	if code, out, _ := run(t, dir, lab, "version"); code != 0 || !strings.HasPrefix(out, "lab ") {
		t.Errorf("lab version: got exit %d %q", code, out)
	}
	code, _, usage := run(t, dir, lab, "-h")
	if code != 0 {
		t.Errorf("lab -h: got exit %d, want 0", code)
	}
	for _, verb := range []string{"run", "check", "conform", "watch", "up", "version"} {
		if !regexp.MustCompile(`(?m)^  lab ` + verb + ` `).MatchString(usage) {
			t.Errorf("lab -h does not list %s:\n%s", verb, usage)
		}
	}
	// The flags README.md and docs/scenarios.md use with lab run and lab conform.
	for verb, flags := range map[string][]string{
		"run":     {"-driver", "-kind", "-report", "-quiet"},
		"conform": {"-driver", "-kinds", "-parallel", "-report"},
	} {
		code, _, usage = run(t, dir, lab, verb, "-h")
		if code != 0 {
			t.Errorf("lab %s -h: got exit %d, want 0", verb, code)
		}
		for _, flag := range flags {
			if !regexp.MustCompile(`(?m)^  ` + flag + `\b`).MatchString(usage) {
				t.Errorf("lab %s -h does not list %s:\n%s", verb, flag, usage)
			}
		}
	}
}

// TestLabCheck runs `lab check scenarios/*.yaml` from the repository root,
// as README.md and docs/scenarios.md show it: every file of the library is
// valid.
func TestLabCheck(t *testing.T) {
	_, lab := binaries(t)
	files, err := filepath.Glob(filepath.Join(root, "scenarios", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	args := []string{"check"}
	for _, f := range files {
		rel, err := filepath.Rel(root, f)
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, rel)
	}
	code, out, errOut := run(t, root, lab, args...)
	if code != 0 || errOut != "" || strings.Count(out, ": ok\n") != len(files) {
		t.Errorf("lab check scenarios/*.yaml: got exit %d, %d of %d files ok\n%s%s", code, strings.Count(out, ": ok\n"), len(files), out, errOut)
	}
}

// TestDocCommands checks every command that README.md and docs/*.md show
// in a code block (a ```sh block, or a "$ " line of an output block): what
// is quick and harmless runs, the rest is checked as far as it can be
// without running it (programs() says which and why). A doc that shows a
// command that does not work fails here, with its file and line.
func TestDocCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binaries")
	}
	c := newChecker(t)
	n := 0
	for _, file := range docFiles(t) {
		for _, cmd := range docCommands(t, file) {
			n++
			if err := c.check(cmd); err != nil {
				t.Errorf("%s\n\t%v", cmd, err)
			}
		}
	}
	if n < 50 {
		t.Errorf("found %d commands in the docs, want at least 50: is the extraction broken?", n)
	}
	t.Logf("%d commands checked", n)
}

// TestDocCommandsCatchMistakes: the checks are not vacuous. Each of these
// commands is wrong in one way a doc has been wrong, and must be refused.
func TestDocCommandsCatchMistakes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binaries")
	}
	c := newChecker(t)
	for _, src := range []string{
		"go test -count=1 -run 'TestKind' -v ./labs/",                               // the test lives in ./labs/drivers
		"go test ./scenarios/... -run 'TestScenarios/no-such-file$'",                // no such scenario
		"go test ./no/such/package",                                                 // no such package
		"go test ./docs -run SchemaFiles -updaet",                                   // no such flag
		"go run ./labs/cmd/lab run -bogus scenarios/crash.yaml",                     // no such flag
		"bin/lab frobnicate",                                                        // no such verb
		"lab run scenarios/no-such.yaml",                                            // no such file
		"lab watch http://192.0.2.1:8080/",                                          // not loopback
		"make no-such-target",                                                       // no such target
		"make test DEPZ=skip",                                                       // no such variable
		`curl -s -X POST 127.0.0.1:8081/faults -d '{"kind":"status","status":42}'`,  // the API refuses it
		`curl -s -X POST 127.0.0.1:8081/faults -d '{"kind":"stauts"}'`,              // the API refuses it
		"go run ./fixtures/cmd/images nosuchimage",                                  // no such image
		"bin/failover-proxy -listen 127.0.0.1:8080 -primarry http://127.0.0.1:9001", // no such flag
		"go install github.com/failover-lab/failover-lab/labs/cmd/nothing@latest",   // no such package
		"NO_SUCH_LAB_SETTING=1 go test ./scenarios/...",                             // nothing reads it
		".ci/deps everything",                                                       // no such set
		"frobctl --now",                                                             // a program nobody knows
	} {
		cmds, err := parseShell("mistakes", 1, src)
		if err != nil || len(cmds) != 1 {
			t.Fatalf("%s: %v (%d commands)", src, err, len(cmds))
		}
		if err := c.check(cmds[0]); err == nil {
			t.Errorf("%s: passed, want it refused", src)
		} else {
			t.Logf("%s: %v", src, err)
		}
	}
}
