package docs

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/failover-lab/failover-lab/labs/scenario"
	"github.com/failover-lab/failover-lab/proxy/config"
)

// root is the module root, relative to this package.
const root = ".."

var update = flag.Bool("update", false, "rewrite the generated schema files from the Go types")

// TestSchemaFilesMatchTypes keeps the shipped JSON Schemas equal to what
// their generators make of the Go types: after changing a type or a
// field's doc comment, run go test ./docs -run SchemaFiles -update.
func TestSchemaFilesMatchTypes(t *testing.T) {
	for file, generate := range map[string]func() []byte{
		config.SchemaFile:   config.SchemaJSON,
		scenario.SchemaFile: scenario.SchemaJSON,
	} {
		path := filepath.Join(root, file)
		if *update {
			if err := os.WriteFile(path, generate(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if shipped, err := os.ReadFile(path); err != nil || !bytes.Equal(shipped, generate()) {
			t.Errorf("%s is stale (%v): run go test ./docs -run SchemaFiles -update", file, err)
		}
	}
}

// example is a YAML block of a Markdown file.
type example struct {
	file string
	line int
	body string
}

var fence = regexp.MustCompile("(?s)\n```yaml\n(.*?)\n```")

// yamlExamples returns the ```yaml blocks of README.md and docs/*.md.
func yamlExamples(t *testing.T) []example {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	files = append([]string{filepath.Join(root, "README.md")}, files...)
	var out []example
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range fence.FindAllSubmatchIndex(b, -1) {
			out = append(out, example{file: f, line: bytes.Count(b[:m[2]], []byte("\n")) + 1, body: string(b[m[2]:m[3]])})
		}
	}
	return out
}

// kind tells a whole proxy config from a whole scenario; other blocks
// (fragments such as one fault) are neither.
func (e example) kind() string {
	switch {
	case regexp.MustCompile(`(?m)^timeline:`).MatchString(e.body):
		return "scenario"
	case regexp.MustCompile(`(?m)^pools:`).MatchString(e.body):
		return "config"
	}
	return ""
}

func compile(t *testing.T, file string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join(root, file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(file, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(file)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return s
}

// validate checks YAML text against a schema, as an editor would.
func validate(s *jsonschema.Schema, body string) error {
	var v any
	if err := yaml.Unmarshal([]byte(body), &v); err != nil {
		return err
	}
	j, err := json.Marshal(v)
	if err != nil {
		return err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		return err
	}
	return s.Validate(doc)
}

// TestExamplesMatchSchemas: every scenario file and every whole config or
// scenario in the docs passes its schema and its parser.
func TestExamplesMatchSchemas(t *testing.T) {
	configSchema, scenarioSchema := compile(t, config.SchemaFile), compile(t, scenario.SchemaFile)
	files, _ := filepath.Glob(filepath.Join(root, "scenarios", "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no scenarios/*.yaml")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := validate(scenarioSchema, string(b)); err != nil {
			t.Errorf("%s: schema: %v", f, err)
		}
	}
	compose, err := os.ReadFile(filepath.Join(root, "compose", "proxy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	examples := append(yamlExamples(t), example{file: filepath.Join(root, "compose", "proxy.yaml"), line: 1, body: string(compose)})
	t.Chdir(exampleCerts(t)) // the TLS example names certificate files relative to here
	seen := map[string]int{}
	for _, e := range examples {
		where := fmt.Sprintf("%s:%d", e.file, e.line)
		switch e.kind() {
		case "config":
			if err := validate(configSchema, e.body); err != nil {
				t.Errorf("%s: schema: %v", where, err)
			}
			if _, err := config.Parse(strings.NewReader(e.body), where); err != nil {
				t.Errorf("%s: parse: %v", where, err)
			}
		case "scenario":
			if err := validate(scenarioSchema, e.body); err != nil {
				t.Errorf("%s: schema: %v", where, err)
			}
			name := regexp.MustCompile(`(?m)^name: (\S+)`).FindStringSubmatch(e.body)
			if name == nil {
				t.Errorf("%s: scenario without a name", where)
				continue
			}
			if _, err := scenario.Parse(name[1]+".yaml", strings.NewReader(e.body)); err != nil {
				t.Errorf("%s: parse: %v", where, err)
			}
		default:
			t.Logf("%s: a fragment, not checked", where)
		}
		seen[e.kind()]++
	}
	if seen["config"] < 2 || seen["scenario"] < 2 {
		t.Errorf("found %d configs and %d scenarios in the docs, want at least 2 and 2 (docs/proxy.md, docs/contracts.md; README, docs/scenarios.md)", seen["config"], seen["scenario"])
	}
}

// TestSchemasRejectMistakes: the schemas are not vacuous.
func TestSchemasRejectMistakes(t *testing.T) {
	configSchema, scenarioSchema := compile(t, config.SchemaFile), compile(t, scenario.SchemaFile)
	ok := "pools:\n  web:\n    members: [{url: \"http://127.0.0.1:9001\"}]\n"
	tests := []struct {
		name, body string
		wantOK     bool
	}{
		{"minimal config", ok, true},
		{"zero duration", ok + "    slow_start: \"0\"\n", true},
		{"fractional duration", ok + "    slow_start: .5s\n", true},
		{"duration without unit", ok + "    slow_start: \"5\"\n", false},
		{"unknown key", ok + "    helth: {}\n", false},
		{"bad policy", ok + "    policy: random\n", false},
		{"no members", "pools:\n  web: {members: []}\n", false},
		{"member without url", "pools:\n  web: {members: [{name: a}]}\n", false},
		{"no pools", "listen: [\":8080\"]\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := validate(configSchema, tt.body); (err == nil) != tt.wantOK {
				t.Errorf("got %v, want ok=%v", err, tt.wantOK)
			}
		})
	}
	b, err := os.ReadFile(filepath.Join(root, "scenarios", "primary-answers-500.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, replace string
		wantOK        bool
	}{
		{"zero duration in a pool key", "proxy:\n  slow_start: \"0\"\n", true},
		{"pool policy enum", "proxy:\n  policy: random\n", false},
		{"pool members are the lab's", "proxy:\n  members: []\n", false},
	} {
		t.Run("scenario/"+tt.name, func(t *testing.T) {
			body := strings.Replace(string(b), "proxy:\n", tt.replace, 1)
			if err := validate(scenarioSchema, body); (err == nil) != tt.wantOK {
				t.Errorf("got %v, want ok=%v", err, tt.wantOK)
			}
		})
	}
}
