package labtest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/failover-lab/failover-lab/labs"
)

// commandScenario runs the user's own service as a local program: here the
// app fixture's binary, named by a path relative to the scenario file and
// told its port by {{ port }}.
const commandScenario = `name: own-command
about: A node given by command, cut off and restored.
proxy:
  health: {interval: 5s, down_interval: 500ms}
  passive: {hold_down: 1s}
nodes:
  service:
    command: [../bin/own-service, -name, service, -listen, "127.0.0.1:{{ port }}", -control, "127.0.0.1:0"]
    health: /health
  failover: {fixture: errorpage, role: standby, args: [-status, "200"]}
load: {rate: 40/s}
timeline:
  - {at: 1s, name: cut, fault: {node: service, network: {toxic: down}}}
  - {at: 4s, name: restored, clear: cut}
  - {at: 7s, end: true}
expect:
  - client_errors: 0
  - {name: before, after: start, until: cut, served_by: service}
  - {name: failover time, after: cut, within: 1s, served_by: failover}
  - {name: failback time, after: restored, within: 2s, served_by: service}
`

func TestCommandNodeOnProcessDriver(t *testing.T) {
	app, err := labs.BuildBinary(context.Background(), "app")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, d := range []string{"bin", "failover"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(app, filepath.Join(dir, "bin", "own-service")); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "failover", "own-command.yaml")
	if err := os.WriteFile(file, []byte(commandScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	res := Run(t, file, Driver("process"), ReportDir(filepath.Join(dir, "reports")), Quiet())
	if !res.Pass() {
		t.Fatalf("got pass false (err %v); want the own service to serve, fail over and come back", res.Err)
	}
	if res.ServedBy()["service"] == 0 {
		t.Errorf("served by %v: want answers from the command node", res.ServedBy())
	}
}
