package scenario

import (
	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/proxy/config/strictyaml"

	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const good = `name: primary-answers-500
about: The service answers 500; clients never see it.
proxy:
  health: {interval: 5s, down_interval: 1s}
nodes:
  service:  {fixture: app, role: primary}
  failover: {fixture: errorpage, role: standby}
load: {rate: 50/s, path: /}
timeline:
  - {at: 3s,  name: broken, fault: {node: service, http: {status: 500}}}
  - {at: 15s, name: fixed,  clear: broken}
  - {at: 20s, end: true}
expect:
  - client_errors: 0
  - {after: broken, within: 100ms, served_by: failover}
  - {after: fixed,  within: 1500ms, served_by: service}
  - {flaps: {max: 2}}
`

func TestParseGood(t *testing.T) {
	s, err := Parse("scenarios/primary-answers-500.yaml", strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(s.Nodes), 2; got != want {
		t.Fatalf("nodes: got %d, want %d", got, want)
	}
	if s.Nodes[0].Name != "service" || s.Nodes[1].Role != "standby" {
		t.Errorf("nodes keep file order and roles: got %+v", s.Nodes)
	}
	if s.Proxy.Pool.Health.Interval != 5*time.Second || s.Proxy.Pool.Health.DownInterval != time.Second {
		t.Errorf("proxy.health: got %+v", s.Proxy.Pool.Health)
	}
	if s.Load.Rate != 50 || s.Load.Method != "GET" {
		t.Errorf("load: got %+v", s.Load)
	}
	if h := s.Timeline[0].Fault.Settings; h != (faults.HTTPStatus{Status: 500}) {
		t.Errorf("a bare status implies kind status: got %+v", h)
	}
	if got := s.Timeline[2].Name; got != "end" {
		t.Errorf("end event name: got %q, want end", got)
	}
	if got := *s.Expect[0].ClientErrors.Max; got != 0 {
		t.Errorf("client_errors: 0 is a max: got %d", got)
	}
	if got, want := s.Pos("expect[2]"), (Pos{Line: 16, Col: 5}); got != want {
		t.Errorf("expect[2] position: got %v, want %v", got, want)
	}
	if got, want := s.Expect[1].String(), "{after: broken, within: 100ms, served_by: failover}"; got != want {
		t.Errorf("String: got %q, want %q", got, want)
	}
}

// TestParseBroken checks the exact messages a user sees for broken files:
// file:line:col, the field path, and a suggestion where one is close.
func TestParseBroken(t *testing.T) {
	tests := []struct {
		name    string
		replace [2]string // in good
		want    string
		is      error
	}{
		{"misspelt node", [2]string{"{node: service,", "{node: servce,"},
			`scenarios/x.yaml:10:43: timeline[0].fault.node: no node named "servce" (did you mean "service"?)`, ErrUnknownName},
		{"unknown key", [2]string{"health: {interval", "helth: {interval"},
			`scenarios/x.yaml:4:3: proxy.helth: unknown field (did you mean "health"?)`, ErrUnknownField},
		{"unknown key far from any", [2]string{"load: {rate: 50/s, path: /}", "load: {rate: 50/s, zzz: /}"},
			`scenarios/x.yaml:8:20: load.zzz: unknown field; known: body, fresh_conns, headers, http2, idempotency_key, malformed, method, path, rate, timeout`, ErrUnknownField},
		{"members are the lab's", [2]string{"  health: {interval", "  members: []\n  health: {interval"},
			`scenarios/x.yaml:4:3: proxy.members: unknown field; known:`, ErrUnknownField},
		{"duration without unit", [2]string{"within: 1500ms", "within: 1500"},
			`scenarios/x.yaml:16:29: expect[2].within: must be a duration like "3s" or "1500ms" (got "1500")`, ErrInvalid},
		{"bad rate", [2]string{"rate: 50/s", "rate: fast"},
			`scenarios/x.yaml:8:14: load.rate: must be a rate like "50/s" (got "fast")`, ErrInvalid},
		{"clear of unknown fault", [2]string{"clear: broken", "clear: brokn"},
			`scenarios/x.yaml:11:36: timeline[1].clear: no earlier fault named "brokn" (did you mean "broken"?)`, ErrUnknownName},
		{"after unknown event", [2]string{"{after: fixed,", "{after: fix,"},
			`scenarios/x.yaml:16:13: expect[2].after: no event named "fix" (did you mean "fixed"?)`, ErrUnknownName},
		{"served_by unknown", [2]string{"served_by: failover}", "served_by: failovr}"},
			`scenarios/x.yaml:15:47: expect[1].served_by: no node or role named "failovr" (did you mean "failover"?); known: service, failover, primary, standby, proxy`, ErrUnknownName},
		{"role typo", [2]string{"role: standby}", "role: stanby}"},
			`scenarios/x.yaml:7:40: nodes.failover.role: must be one of primary, standby (got "stanby") (did you mean "standby"?)`, ErrInvalid},
		{"proxy's own rule", [2]string{"down_interval: 1s}", "down_interval: 1s, jitter: 2}"},
			`scenarios/x.yaml:4:53: proxy.health.jitter:`, ErrInvalid},
		{"two measures", [2]string{"- {flaps: {max: 2}}", "- {flaps: 2, client_errors: 0}"},
			`scenarios/x.yaml:17:5: expect[3]: one measure per item (got client_errors, flaps); write one item each`, ErrInvalid},
		{"no end", [2]string{"  - {at: 20s, end: true}\n", ""},
			`scenarios/x.yaml:11:5: timeline[1]: the last event must be {at: D, end: true}`, ErrRequired},
		{"out of order", [2]string{"at: 15s", "at: 1s"},
			`scenarios/x.yaml:11:10: timeline[1].at: events must be in time order (1s comes after 3s)`, ErrInvalid},
		{"http fault on errorpage", [2]string{"{node: service, http", "{node: failover, http"},
			`scenarios/x.yaml:10:53: timeline[0].fault.http: http faults need a fixture with a fault-control API (app, php); node failover runs fixture errorpage`, ErrInvalid},
		{"window after the end", [2]string{"within: 1500ms", "within: 6s"},
			`scenarios/x.yaml:16:29: expect[2].within: the window opens at 21s, not before the end at 20s`, ErrInvalid},
		{"window closed by the next event", [2]string{"{after: broken, within: 100ms,", "{after: broken, within: 13s,"},
			`scenarios/x.yaml:15:13: expect[1].after: the window closes at the next event, fixed at 15s, before it opens at 16s: set until or for`, ErrInvalid},
		{"header needs a probe", [2]string{"- {flaps: {max: 2}}", "- {flaps: 2, header: Retry-After}"},
			`scenarios/x.yaml:17:24: expect[3].header: only with probe (the ledger keeps no headers)`, ErrInvalid},
		{"probe of no probe event", [2]string{"- {flaps: {max: 2}}", "- {probe: broken, status: 503}"},
			`scenarios/x.yaml:17:13: expect[3].probe: no probe or why event named "broken"`, ErrUnknownName},
		{"http2 needs https", [2]string{"load: {rate: 50/s, path: /}", "load: {rate: 50/s, path: /, http2: true}"},
			`load.http2: needs proxy.https: true`, ErrInvalid},
		{"https on another kind", [2]string{"proxy:\n", "proxy:\n  kind: nginx\n  https: true\n"},
			`proxy.https: only with proxy kind builtin (got nginx)`, ErrInvalid},
		{"tls fault on a plain node", [2]string{"{node: service, http: {status: 500}}", "{node: service, tls: {cert: expired}}"},
			`timeline[0].fault.tls: tls faults need a node with https: true; service serves plain HTTP`, ErrInvalid},
		{"why of no node", [2]string{"  - {at: 20s, end: true}", "  - {at: 18s, name: w, why: servce}\n  - {at: 20s, end: true}"},
			`timeline[2].why: no node named "servce" (did you mean "service"?)`, ErrUnknownName},
		{"http fault on a node given by image", [2]string{"service:  {fixture: app, role: primary}", "service:  {image: \"httpd:2.4\", role: primary}"},
			`scenarios/x.yaml:10:52: timeline[0].fault.http: http faults need a fixture with a fault-control API (app, php); node service runs image httpd:2.4`, ErrInvalid},
		{"own config unreadable", [2]string{"proxy:\n", "proxy:\n  kind: nginx\n  config: no-such.conf\n"},
			`scenarios/x.yaml:5:11: proxy.config: cannot read it: open scenarios/no-such.conf: no such file or directory`, ErrInvalid},
		{"syntax", [2]string{"nodes:\n", "nodes:\n  - ]\n"},
			`scenarios/x.yaml:5:1: did not find expected node content`, ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(good, tt.replace[0], tt.replace[1], 1)
			src = strings.Replace(src, "name: primary-answers-500", "name: x", 1)
			if src == good {
				t.Fatal("replacement did not apply")
			}
			_, err := Parse("scenarios/x.yaml", strings.NewReader(src))
			if err == nil {
				t.Fatalf("got no error, want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got\n%v\nwant it to contain\n%s", err, tt.want)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(err, %v) = false", tt.is)
			}
		})
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	src := strings.NewReplacer("{node: service,", "{node: servce,", "clear: broken", "clear: brokn", "name: primary-answers-500", "name: x").Replace(good)
	_, err := Parse("scenarios/x.yaml", strings.NewReader(src))
	var es Errors
	if !errors.As(err, &es) || len(es) != 2 {
		t.Fatalf("got %v, want 2 problems", err)
	}
	if es[0].Line != 10 || es[1].Line != 11 {
		t.Errorf("problems in file order: got lines %d, %d", es[0].Line, es[1].Line)
	}
}

func TestNameMustMatchFile(t *testing.T) {
	_, err := Parse("scenarios/other.yaml", strings.NewReader(good))
	want := `scenarios/other.yaml:1:7: name: must equal the file name "other" (got "primary-answers-500")`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestLibraryParses reads every shipped scenario: a broken file fails here,
// fast, before anything starts.
func TestLibraryParses(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "scenarios", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			s, err := ParseFile(f)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(f)
			if !strings.HasPrefix(string(data), "# yaml-language-server: $schema=scenario.schema.json") {
				t.Errorf("%s: first line should point editors at the schema", f)
			}
			if s.About == "" {
				t.Error("about is empty")
			}
		})
	}
}

func TestDidYouMean(t *testing.T) {
	tests := []struct {
		name, got string
		want      string
	}{
		{"one letter", "servce", ` (did you mean "service"?)`},
		{"swap", "faliover", ` (did you mean "failover"?)`},
		{"case and dash", "Down-Interval", ` (did you mean "down_interval"?)`},
		{"too far", "database", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strictyaml.DidYouMean(tt.got, []string{"service", "failover", "down_interval"}); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestParseWhatANodeCannotDo: a fault a node cannot take is refused at its
// place, naming the node and the fault.
func TestParseWhatANodeCannotDo(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte("events {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, proxy, service, fault, want string
	}{
		{"latency on php", "{}", "{fixture: php}", "{node: service, http: {kind: latency, latency: 1s}}",
			`x.yaml:9:51: timeline[0].fault.http: node service runs fixture php, whose PHP control API knows status faults only, on every request (no count, for, probability, path or method) (got latency 1s)`},
		{"status for a while on php", "{}", "{fixture: php}", "{node: service, http: {status: 500, for: 2s}}",
			`timeline[0].fault.http: node service runs fixture php, whose PHP control API knows status faults only`},
		{"network with own config", "{kind: nginx, config: nginx.conf}", "{fixture: app}", "{node: service, network: {toxic: down}}",
			`x.yaml:9:51: timeline[0].fault.network: node service: network faults act on the lab's Toxiproxy link, which a proxy with its own config (proxy.config) bypasses: it reaches service:8080 directly`},
		{"container fault on an image node is fine", "{}", "{image: \"httpd:2.4\"}", "{node: service, container: {action: pause}}", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "name: x\nabout: a.\nproxy: " + tt.proxy + "\nnodes:\n  service: " + tt.service +
				"\n  failover: {fixture: errorpage, role: standby}\nload: {rate: 10/s}\ntimeline:\n" +
				"  - {at: 1s, name: broken, fault: " + tt.fault + "}\n" +
				"  - {at: 2s, name: fixed, clear: broken}\n  - {at: 3s, end: true}\nexpect:\n  - client_errors: 0\n"
			_, err := ParseIn(dir, "x.yaml", strings.NewReader(src))
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("got %v, want no error", err)
			case tt.want == "":
			case err == nil:
				t.Fatalf("got no error, want %q", tt.want)
			case !strings.Contains(err.Error(), tt.want):
				t.Errorf("got\n%v\nwant it to contain\n%s", err, tt.want)
			}
		})
	}
}
