package vocab_test

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/failover-lab/failover-lab/labs/faults"
	"github.com/failover-lab/failover-lab/labs/vocab"
)

// A fault decodes into its kind's own settings and names the field that is
// wrong; the scenario format adds the file, line and column.
func ExampleFault_Validate() {
	var f vocab.Fault
	fmt.Println(yaml.Unmarshal([]byte("{node: service, container: {action: kil}}"), &f))
	fmt.Println(yaml.Unmarshal([]byte("{node: service, container: {action: stop, signal: SIGTERM}}"), &f))
	f = vocab.Fault{Node: "service", Settings: faults.Kill{Signal: "SIGFOO"}}
	fmt.Println(f.Validate())
	// Output:
	// invalid value: container.action: must be one of disconnect, kill, pause, restart, restart-loop, stop (got "kil") (did you mean "kill"?)
	// invalid value: container.signal: unknown field: action stop takes no settings
	// invalid value: container.signal: unknown signal "SIGFOO"
}
