package docs

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/failover-lab/failover-lab/fixtures/app"
)

// What TestDocCommands does with each program a doc shows, and why: a
// command that is quick and changes nothing outside a temporary folder is
// run; a long-running one, or one that installs, starts servers on fixed
// ports, or needs Docker, is checked without running it: its program,
// verb, flags, packages, tests, files and URLs must all exist. One table,
// so that a program the test does not know fails the test instead of
// passing unchecked.
func programs() []program {
	return []program{
		{"lab", checkLab, "run: -h, version, check, schema, init (in a temp dir); checked: run, conform, watch, up, explore, serve, images, report merge (minutes, Docker, servers)"},
		{"failover-proxy", checkGoBinary("./proxy/cmd/failover-proxy"), "run: version; checked: flags (a server)"},
		{"app", checkGoBinary("./fixtures/cmd/app"), "run: version; checked: flags (a server)"},
		{"errorpage", checkGoBinary("./fixtures/cmd/errorpage"), "run: version; checked: flags (a server)"},
		{"go", checkGo, "checked: go test's packages and -run/-bench patterns against the test functions (the suite takes an hour), go run's package and its program's flags, go build/install's packages"},
		{"make", checkMake, "checked: the target exists (they install packages, start the demo on fixed ports, run the suite)"},
		{"curl", checkCurl, "run: a request to the app's fault-control API against the real handler; checked: every URL is on loopback"},
		{".ci/deps", checkDeps, "checked: the argument (it installs packages)"},
		{".ci/run", checkExists, "checked: exists (it is the whole CI run)"},
		{"sudo", nil, "its command is checked instead"},
		{"time", nil, "its command is checked instead"},
	}
}

// external are other people's tools the docs may show; nothing of ours to
// check in them but their name.
var external = []string{"git", "docker", "docker-compose", "apt-get", "ss", "printf", "rm", "chmod", "kill",
	"sleep", "grep", "sed", "tee", "wrk", "h2spec", "openssl", "cat", "echo", "cd", "ls", "mkdir", "cp", "install", "jq", "taskset", "gofmt", "ps"}

type program struct {
	name  string
	check func(c *checker, cmd command, args []string) error // args[0] is the program
	why   string
}

// checker holds what the checks share: the binaries built once, the
// module's test functions, the Makefile's targets.
type checker struct {
	t    *testing.T
	dir  string // built binaries
	mu   sync.Mutex
	bins map[string]string // package → binary
}

func newChecker(t *testing.T) *checker {
	return &checker{t: t, dir: t.TempDir(), bins: map[string]string{}}
}

// check checks one command; nil when it works (or would).
func (c *checker) check(cmd command) error {
	args := cmd.args
	for len(args) > 0 && (args[0] == "sudo" || args[0] == "time" || args[0] == "env") {
		args = args[1:]
		for len(args) > 0 && strings.HasPrefix(args[0], "-") || len(args) > 0 && strings.Contains(args[0], "=") {
			args = args[1:]
		}
	}
	if len(args) == 0 {
		return nil
	}
	if err := checkEnv(cmd.env); err != nil {
		return err
	}
	name := strings.TrimPrefix(strings.TrimPrefix(args[0], "./"), "bin/")
	if args[0] == ".ci/deps" || args[0] == ".ci/run" || args[0] == "./.ci/deps" {
		name = strings.TrimPrefix(args[0], "./")
	}
	for _, p := range programs() {
		if p.name == name && p.check != nil {
			return p.check(c, cmd, args)
		}
	}
	if slices.Contains(external, name) {
		return nil
	}
	return fmt.Errorf("the program %q is not one TestDocCommands knows: add it to programs with its check (or to external), or fix the doc", args[0])
}

// checkEnv: every variable a command sets is one the module reads, or a
// known one of Go's, Docker's or CI's.
func checkEnv(env []string) error {
	known := []string{"GOFLAGS", "CGO_ENABLED", "GOOS", "GOARCH", "GOTOOLCHAIN", "DOCKER_HOST", "DOCKER_CONTEXT",
		"DEBIAN_FRONTEND", "CI_NODE_INDEX", "CI_NODE_TOTAL", "PATH", "HOME", "TOKEN"}
	for _, e := range env {
		name, _, _ := strings.Cut(e, "=")
		if slices.Contains(known, name) {
			continue
		}
		if !moduleMentions(`"` + name + `"`) {
			return fmt.Errorf("%s: no Go file of the module reads this variable", name)
		}
	}
	return nil
}

var goSources = sync.OnceValue(func() []byte {
	var all []byte
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") {
			b, _ := os.ReadFile(path)
			all = append(all, b...)
		}
		return nil
	})
	return all
})

func moduleMentions(s string) bool { return strings.Contains(string(goSources()), s) }

// binary builds pkg (relative to the module root) once.
func (c *checker) binary(pkg string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if b, ok := c.bins[pkg]; ok {
		return b, nil
	}
	bin := filepath.Join(c.dir, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
	}
	c.bins[pkg] = bin
	return bin, nil
}

// output runs bin with args in dir and returns its exit code and both
// outputs together.
func output(dir, bin string, args ...string) (int, string) {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), string(out)
	} else if err != nil {
		return -1, err.Error()
	}
	return 0, string(out)
}

var flagLine = regexp.MustCompile(`(?m)^  -([A-Za-z0-9][\w.-]*)( [a-zA-Z]\w*)?`)

// flagSet is the flags a -h output lists, each with whether it takes a value.
func flagSet(help string) map[string]bool {
	out := map[string]bool{"h": false, "help": false}
	for _, m := range flagLine.FindAllStringSubmatch(help, -1) {
		out[m[1]] = m[2] != ""
	}
	return out
}

// positional checks args against flags and returns the other arguments.
func positional(flags map[string]bool, args []string) ([]string, error) {
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(pos, args[i+1:]...), nil
		}
		if !strings.HasPrefix(a, "-") || a == "-" || a == dynamic {
			pos = append(pos, a)
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		takes, ok := flags[name]
		if !ok {
			return nil, fmt.Errorf("flag %s: not among the flags -h lists", a)
		}
		if takes && !hasValue {
			i++
		}
	}
	return pos, nil
}

// repoPath says whether p names a file of this repository (which must
// exist) rather than a reader's own file (lab.yaml, failover/x.yaml).
func repoPath(p string) bool {
	for _, dir := range []string{"scenarios/", "compose/", "examples/", "docs/", "fixtures/", "proxy/", "labs/"} {
		if strings.HasPrefix(p, dir) {
			return true
		}
	}
	return false
}

// files expands the repository paths among args (globs too) and fails
// on one that names nothing.
func files(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if !repoPath(a) {
			continue
		}
		m, err := filepath.Glob(filepath.Join(root, a))
		if err != nil || len(m) == 0 {
			return nil, fmt.Errorf("%s: no such file in the repository", a)
		}
		out = append(out, a)
	}
	return out, nil
}

func checkExists(c *checker, cmd command, args []string) error {
	if _, err := os.Stat(filepath.Join(root, strings.TrimPrefix(args[0], "./"))); err != nil {
		return err
	}
	return nil
}

func checkDeps(c *checker, cmd command, args []string) error {
	if err := checkExists(c, cmd, args); err != nil {
		return err
	}
	if len(args) != 2 || !slices.Contains([]string{"test", "lab", "images"}, args[1]) {
		return fmt.Errorf(".ci/deps takes one of test, lab, images (got %q)", args[1:])
	}
	return nil
}

// checkGoBinary checks a command of one of the module's programs that
// take flags and the subcommands version and healthcheck.
func checkGoBinary(pkg string) func(*checker, command, []string) error {
	return func(c *checker, cmd command, args []string) error {
		bin, err := c.binary(pkg)
		if err != nil {
			return err
		}
		if len(args) > 1 && args[1] == "version" {
			if code, out := output(c.dir, bin, "version"); code != 0 {
				return fmt.Errorf("%s version: exit %d\n%s", args[0], code, out)
			}
			return nil
		}
		if len(args) > 1 && args[1] == "healthcheck" {
			return nil
		}
		_, help := output(c.dir, bin, "-h")
		pos, err := positional(flagSet(help), args[1:])
		if err != nil {
			return err
		}
		if len(pos) > 0 {
			return fmt.Errorf("%s takes no arguments but flags (got %q)", args[0], pos)
		}
		for i, a := range args {
			if (a == "-check" || a == "-config") && i+1 < len(args) && repoPath(args[i+1]) {
				if _, err := files(args[i+1 : i+2]); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

// checkLab checks a lab command: the verb is one lab -h lists, the flags
// are the verb's, the repository's files exist; quick verbs are run.
func checkLab(c *checker, cmd command, args []string) error {
	bin, err := c.binary("./labs/cmd/lab")
	if err != nil {
		return err
	}
	if len(args) < 2 {
		return errors.New("lab needs a verb")
	}
	verb := args[1]
	if verb == "-h" || verb == "help" {
		if code, out := output(root, bin, "-h"); code != 0 {
			return fmt.Errorf("lab -h: exit %d\n%s", code, out)
		}
		return nil
	}
	_, usage := output(root, bin, "-h")
	if !regexp.MustCompile(`(?m)^  lab ` + regexp.QuoteMeta(verb) + `\b`).MatchString(usage) {
		return fmt.Errorf("lab %s: not a verb lab -h lists", verb)
	}
	code, help := output(root, bin, verb, "-h")
	if code != 0 {
		return fmt.Errorf("lab %s -h: exit %d\n%s", verb, code, help)
	}
	rest := args[2:]
	if verb == "report" && len(rest) > 0 && !strings.HasPrefix(rest[0], "-") { // lab report merge ...
		_, help = output(root, bin, verb, rest[0], "-h")
		rest = rest[1:]
	}
	pos, err := positional(flagSet(help), rest)
	if err != nil {
		return fmt.Errorf("lab %s: %v", verb, err)
	}
	ours, err := files(pos)
	if err != nil {
		return err
	}
	switch verb {
	case "version", "schema":
		if code, out := output(root, bin, args[1:]...); code != 0 {
			return fmt.Errorf("lab %s: exit %d\n%s", verb, code, out)
		}
	case "init":
		if code, out := output(c.t.TempDir(), bin, args[1:]...); code != 0 {
			return fmt.Errorf("lab init in an empty directory: exit %d\n%s", code, out)
		}
	case "check", "run", "conform":
		// A file of the repository shown with run or conform must at
		// least be valid.
		if len(ours) > 0 {
			if code, out := output(root, bin, append([]string{"check"}, expandAll(ours)...)...); code != 0 {
				return fmt.Errorf("lab check %s: exit %d\n%s", strings.Join(ours, " "), code, out)
			}
		}
	case "watch":
		for _, p := range pos {
			if err := loopback(p); err != nil {
				return err
			}
		}
	}
	return nil
}

func expandAll(globs []string) []string {
	var out []string
	for _, g := range globs {
		m, _ := filepath.Glob(filepath.Join(root, g))
		for _, f := range m {
			rel, _ := filepath.Rel(root, f)
			out = append(out, rel)
		}
	}
	return out
}

// loopback: the docs send requests only to this machine.
func loopback(raw string) error {
	if raw == dynamic {
		return nil
	}
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	switch u.Hostname() {
	case "127.0.0.1", "localhost", "::1":
		return nil
	}
	return fmt.Errorf("%s: the docs' requests go to loopback only", raw)
}

// checkCurl: every URL is on loopback; a request to the app's
// fault-control API (…/faults) is sent to the real handler and must not
// be refused.
func checkCurl(c *checker, cmd command, args []string) error {
	method, body, target := "", "", ""
	withValue := map[string]bool{"-X": true, "-d": true, "--data": true, "-H": true, "-o": true, "-w": true,
		"-u": true, "--max-time": true, "-m": true, "--cacert": true, "-D": true, "--connect-timeout": true}
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch {
		case withValue[a] && i+1 < len(args):
			switch a {
			case "-X":
				method = args[i+1]
			case "-d", "--data":
				body = args[i+1]
			}
			i++
		case strings.HasPrefix(a, "-"):
		default:
			if err := loopback(a); err != nil {
				return err
			}
			target = a
		}
	}
	if target == "" || target == dynamic {
		return nil
	}
	if !strings.Contains(target, "://") {
		target = "http://" + target
	}
	u, err := url.Parse(target)
	if err != nil || !strings.HasPrefix(u.Path, "/faults") {
		return err
	}
	if method == "" {
		method = http.MethodGet
		if body != "" {
			method = http.MethodPost
		}
	}
	a := app.New("service")
	h := a.Control()
	if method == http.MethodDelete && u.Path != "/faults" { // clearing one needs it there
		pre := httptest.NewRequest(http.MethodPost, "/faults", strings.NewReader(`{"id":"`+strings.TrimPrefix(u.Path, "/faults/")+`","kind":"status","status":500}`))
		h.ServeHTTP(httptest.NewRecorder(), pre)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(method, u.RequestURI(), strings.NewReader(body)))
	if cmd.shown != "" { // the doc shows the answer: it must be this one
		if got := strings.TrimSpace(w.Body.String()); got != strings.TrimSpace(cmd.shown) {
			return fmt.Errorf("the app's control API answers %d %s, the doc shows %s", w.Code, got, cmd.shown)
		}
		return nil
	}
	if w.Code >= 400 {
		return fmt.Errorf("the app's control API answers %d: %s", w.Code, strings.TrimSpace(w.Body.String()))
	}
	return nil
}

// checkMake: the target is one of the Makefile's, a variable one it uses.
func checkMake(c *checker, cmd command, args []string) error {
	mf, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		return err
	}
	for _, a := range args[1:] {
		if name, _, ok := strings.Cut(a, "="); ok {
			if !strings.Contains(string(mf), "$("+name+")") {
				return fmt.Errorf("make %s: the Makefile uses no variable %s", a, name)
			}
			continue
		}
		if strings.HasPrefix(a, "-") {
			continue
		}
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(a) + `:([^=]|$)`).Match(mf) {
			return fmt.Errorf("make %s: no such target in the Makefile", a)
		}
	}
	return nil
}

// goTestFlags are go test's own flags, each with whether it takes a value.
var goTestFlags = map[string]bool{
	"run": true, "bench": true, "count": true, "fuzz": true, "fuzztime": true, "timeout": true, "tags": true,
	"p": true, "parallel": true, "cpu": true, "benchtime": true, "list": true, "coverprofile": true, "o": true,
	"skip": true, "cpuprofile": true, "memprofile": true, "shuffle": true, "exec": true, "vet": true,
	"v": false, "race": false, "short": false, "json": false, "benchmem": false, "cover": false, "failfast": false,
	"x": false, "n": false, "a": false,
}

// goList resolves packages from the module root: their import paths and
// directories.
func goList(pkgs []string, format string) ([]string, error) {
	cmd := exec.Command("go", append([]string{"list", "-f", format}, pkgs...)...)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("go list %s: %s", strings.Join(pkgs, " "), strings.TrimSpace(string(ee.Stderr)))
		}
		return nil, err
	}
	return strings.Fields(string(out)), nil
}

var testFunc = regexp.MustCompile(`(?m)^func ((?:Test|Benchmark|Fuzz|Example)\w*)\(`)

// testFuncs returns the test, benchmark, fuzz and example functions of
// the packages in dirs, and the custom flags their tests declare.
func testFuncs(dirs []string) (funcs []string, flags map[string]bool) {
	flags = map[string]bool{}
	customFlag := regexp.MustCompile(`flag\.(\w+)\("([\w.-]+)"`)
	for _, d := range dirs {
		tests, _ := filepath.Glob(filepath.Join(d, "*_test.go"))
		for _, f := range tests {
			b, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			for _, m := range testFunc.FindAllSubmatch(b, -1) {
				funcs = append(funcs, string(m[1]))
			}
			for _, m := range customFlag.FindAllSubmatch(b, -1) {
				flags[string(m[2])] = string(m[1]) != "Bool"
			}
		}
	}
	return funcs, flags
}

// runMatches says whether a -run/-bench/-fuzz pattern selects anything:
// its first element a function with the prefix, and under TestScenarios
// its second a scenario file.
func runMatches(pattern, prefix string, funcs []string) error {
	parts := strings.Split(pattern, "/")
	top, err := regexp.Compile(parts[0])
	if err != nil {
		return fmt.Errorf("-run %s: %v", pattern, err)
	}
	var hit []string
	for _, f := range funcs {
		if strings.HasPrefix(f, prefix) && top.MatchString(f) {
			hit = append(hit, f)
		}
	}
	if len(hit) == 0 {
		what := prefix
		if what == "" {
			what = "Test, Example or Fuzz"
		}
		return fmt.Errorf("%q matches no %s function of these packages: the command runs nothing", pattern, what)
	}
	if len(parts) > 1 && slices.Equal(hit, []string{"TestScenarios"}) {
		sub, err := regexp.Compile(parts[1])
		if err != nil {
			return err
		}
		files, _ := filepath.Glob(filepath.Join(root, "scenarios", "*.yaml"))
		for _, f := range files {
			if sub.MatchString(strings.TrimSuffix(filepath.Base(f), ".yaml")) {
				return nil
			}
		}
		return fmt.Errorf("%q matches no scenario file: the command runs nothing", pattern)
	}
	return nil
}

// goPrograms are the module's main packages whose commands are checked
// like the installed binary's.
var goPrograms = map[string]string{
	"./labs/cmd/lab": "lab", "./proxy/cmd/failover-proxy": "failover-proxy", "./fixtures/cmd/app": "app",
	"./fixtures/cmd/errorpage": "errorpage",
}

func checkGo(c *checker, cmd command, args []string) error {
	if len(args) < 2 {
		return errors.New("go needs a command")
	}
	rest := args[2:]
	switch args[1] {
	case "test":
		return checkGoTest(rest)
	case "run":
		if len(rest) == 0 {
			return errors.New("go run needs a package")
		}
		pkg := rest[0]
		if name, ok := goPrograms[strings.TrimSuffix(pkg, "/")]; ok {
			return c.check(command{file: cmd.file, line: cmd.line, args: append([]string{name}, rest[1:]...)})
		}
		if names, err := goList([]string{pkg}, "{{.Name}}"); err != nil {
			return err
		} else if len(names) != 1 || names[0] != "main" {
			return fmt.Errorf("go run %s: not a main package", pkg)
		}
		bin, err := c.binary(pkg)
		if err != nil {
			return err
		}
		_, help := output(c.dir, bin, "-h")
		_, err = positional(flagSet(help), rest[1:])
		return err
	case "build", "vet", "list":
		var pkgs []string
		for i := 0; i < len(rest); i++ {
			switch {
			case rest[i] == "-o":
				i++
			case !strings.HasPrefix(rest[i], "-"):
				pkgs = append(pkgs, rest[i])
			}
		}
		_, err := goList(pkgs, "{{.ImportPath}}")
		return err
	case "install":
		for _, a := range rest {
			if strings.HasPrefix(a, "-") {
				continue
			}
			path, _, _ := strings.Cut(a, "@")
			const module = "github.com/failover-lab/failover-lab"
			rel, ok := strings.CutPrefix(path, module+"/")
			if strings.HasPrefix(path, "./") {
				rel, ok = strings.TrimPrefix(path, "./"), true
			}
			if !ok {
				return fmt.Errorf("go install %s: not a package of %s", a, module)
			}
			names, err := goList([]string{"./" + rel}, "{{.Name}}")
			if err != nil {
				return err
			}
			if len(names) != 1 || names[0] != "main" {
				return fmt.Errorf("go install %s: not a main package", a)
			}
		}
		return nil
	case "mod", "version", "env", "get", "tool", "generate", "work":
		return nil
	}
	return fmt.Errorf("go %s: a go command this test does not know", args[1])
}

func checkGoTest(args []string) error {
	var pkgs []string
	patterns := map[string]string{} // flag → pattern
	var custom []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			pkgs = append(pkgs, a)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		takes, ok := goTestFlags[name]
		if !ok {
			custom = append(custom, name)
			continue
		}
		if takes && !hasValue && i+1 < len(args) {
			i++
			value = args[i]
		}
		if name == "run" || name == "bench" || name == "fuzz" {
			patterns[name] = value
		}
	}
	if len(pkgs) == 0 {
		pkgs = []string{"."}
	}
	dirs, err := goList(pkgs, "{{.Dir}}")
	if err != nil {
		return err
	}
	funcs, flags := testFuncs(dirs)
	for _, f := range custom {
		if _, ok := flags[f]; !ok {
			return fmt.Errorf("go test -%s: neither go test's flag nor one these packages' tests declare", f)
		}
	}
	for flag, prefix := range map[string]string{"run": "", "bench": "Benchmark", "fuzz": "Fuzz"} {
		if p, ok := patterns[flag]; ok && p != "^$" {
			if err := runMatches(p, prefix, funcs); err != nil {
				return fmt.Errorf("go test -%s %v", flag, err)
			}
		}
	}
	return nil
}
