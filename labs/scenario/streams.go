package scenario

import (
	"fmt"
	"slices"

	"github.com/failover-lab/failover-lab/labs/vocab"
)

// MainStream names the rows of the scenario's load in expectations
// ({stream: main}); they carry no stream tag in the ledger.
const MainStream = "main"

// Stream is one more load run alongside the scenario's load, e.g. a
// trickle of abusive requests among normal traffic. Its rows are tagged
// with Name so that expectations can select them.
type Stream struct {
	Name string `yaml:"name" doc:"The stream's name: lowercase letters, digits and '-'; expectations select its rows with stream: NAME."`
	Load `yaml:",inline"`
}

// StreamNames lists what an expectation's stream may name.
func (s *Scenario) StreamNames() []string {
	names := []string{MainStream}
	for _, st := range s.Streams {
		names = append(names, st.Name)
	}
	return names
}

func (v v) streams() {
	seen := []string{MainStream}
	for i, st := range v.s.Streams {
		path := fmt.Sprintf("streams[%d]", i)
		switch {
		case !vocab.NameRE.MatchString(st.Name):
			v.add(path+".name", ErrInvalid, "lowercase letters, digits and '-', at most 32 (got %q)", st.Name)
		case slices.Contains(seen, st.Name):
			v.add(path+".name", ErrInvalid, "%q is taken (main is the scenario's load)", st.Name)
		}
		seen = append(seen, st.Name)
		v.load(path, st.Load)
	}
}
