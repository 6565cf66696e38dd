package explore

import (
	"slices"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/faults"
)

func kill(id int, node string, at, d time.Duration) Step {
	return Step{ID: id, At: at, For: d, Node: node, Kind: "container.kill",
		Values: []faults.Value{{Param: faults.Param{Key: "signal", Type: faults.Choice, Choices: []string{"SIGKILL"}}, S: "SIGKILL"}}}
}

func TestCompile(t *testing.T) {
	s := base(t, seedLike).Scenario
	tests := []struct {
		name string
		plan Plan
		want []string
	}{
		{"the primary dies and comes back", Plan{Length: 20 * time.Second, Steps: []Step{kill(1, "service", 3*time.Second, 5*time.Second)}}, []string{
			"{name: client_errors start..end, after: start, until: end, client_errors: 0}",
			"{name: failover e1-service-kill..clear-e1-service-kill, after: e1-service-kill, within: 1s, until: clear-e1-service-kill, served_by: standby}",
			"{name: failback clear-e1-service-kill..end, after: clear-e1-service-kill, within: 6s, until: end, served_by: primary, status: 200}",
			"{name: waits start..end, after: start, until: end, latency: {max: 5s}}",
			"{name: flaps whole-run, flaps: 4}",
		}},
		{"both die: no window while none can serve, a grace after", Plan{Length: 20 * time.Second, Steps: []Step{
			kill(1, "service", 3*time.Second, 10*time.Second), kill(2, "failover", 5*time.Second, 3*time.Second)}}, []string{
			"{name: client_errors start..e2-failover-kill, after: start, until: e2-failover-kill, client_errors: 0}",
			"{name: client_errors clear-e2-failover-kill..end, after: clear-e2-failover-kill, within: 6.5s, until: end, client_errors: 0}",
			"{name: failover e1-service-kill..e2-failover-kill, after: e1-service-kill, within: 1s, until: e2-failover-kill, served_by: standby}",
			"{name: failback clear-e1-service-kill..end, after: clear-e1-service-kill, within: 6s, until: end, served_by: primary, status: 200}",
			"{name: waits start..e2-failover-kill, after: start, until: e2-failover-kill, latency: {max: 5s}}",
			"{name: waits clear-e2-failover-kill..end, after: clear-e2-failover-kill, within: 6.5s, until: end, latency: {max: 5s}}",
			"{name: flaps whole-run, flaps: 4}",
		}},
		{"a cut answer may reach clients", Plan{Length: 20 * time.Second, Steps: []Step{{ID: 1, At: 3 * time.Second, For: 3 * time.Second, Node: "service", Kind: "http.truncate"}}}, []string{
			"{name: client_errors start..end, after: start, until: end, client_errors: 3}",
			"{name: failover e1-service-truncate..clear-e1-service-truncate, after: e1-service-truncate, within: 1s, until: clear-e1-service-truncate, served_by: standby}",
			"{name: failback clear-e1-service-truncate..end, after: clear-e1-service-truncate, within: 6s, until: end, served_by: primary, status: 200}",
			"{name: waits start..end, after: start, until: end, latency: {max: 5s}}",
			"{name: flaps whole-run, flaps: 4}",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, e := range Compile(s, tt.plan) {
				got = append(got, e.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// A latency at or above the proxy's health-check timeout (2s by default)
// takes the node out as a kill does: its checks time out.
func TestSlowIsBroken(t *testing.T) {
	s := base(t, seedLike).Scenario
	lat := faults.Param{Key: "latency", Type: faults.Duration, Min: 10, Max: 3000, Step: 10}
	slow := func(ms int64) Plan {
		return Plan{Length: 20 * time.Second, Steps: []Step{{ID: 1, At: 3 * time.Second, For: 5 * time.Second, Node: "service",
			Kind: "network.latency", Values: []faults.Value{{Param: lat, N: ms}}}}}
	}
	if got := len(Only(Compile(s, slow(1990)), Failover)); got != 0 {
		t.Errorf("1.99s of latency: %d failover expectations, want none (the service can serve)", got)
	}
	if got := len(Only(Compile(s, slow(2000)), Failover)); got != 1 {
		t.Errorf("2s of latency: %d failover expectations, want one (the checks time out)", got)
	}
}
