package vocab_test

import (
	"fmt"

	"github.com/failover-lab/failover-lab/labs/vocab"
)

// A fault validates itself and names the field that is wrong; the scenario
// format adds the file, line and column.
func ExampleFault_Validate() {
	f := vocab.Fault{Node: "service", Container: &vocab.ContainerFault{Action: "kil"}}
	fmt.Println(f.Validate())
	// Output: invalid value: container.action: must be one of disconnect, kill, pause, restart, stop (got "kil") (did you mean "kill"?)
}
