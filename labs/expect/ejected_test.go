package expect

import (
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/scenario"
)

const streamStory = `name: story
about: Normal traffic plus a trickle of requests nobody can answer.
nodes:
  service:  {fixture: app, role: primary}
  failover: {fixture: app, role: standby}
load: {rate: 50/s}
streams:
  - {name: poison, rate: 2/s, path: /poison}
timeline:
  - {at: 10s, end: true}
expect:
`

func TestStreamsAndNeverEjected(t *testing.T) {
	tests := []struct {
		name   string
		expect string
		rows   []ledger.Row // sent 1 s apart from +1 s
		pass   bool
		msg    string
	}{
		{"main stream only: the poison rows are not its", "  - {stream: main, never_ejected: service}\n",
			[]ledger.Row{{Status: 200, ServedBy: "service"}, {Status: 500, ServedBy: "failover", Stream: "poison"}},
			true, "service answered all 1 answered requests"},
		{"every stream: the standby answered one", "  - {never_ejected: service}\n",
			[]ledger.Row{{Status: 200, ServedBy: "service"}, {Status: 500, ServedBy: "failover", Stream: "poison"}},
			false, "1 answered by service, 1 by others (first 500 from failover at +2.000s)"},
		{"nothing usable: the proxy's 503", "  - {stream: main, never_ejected: service}\n",
			[]ledger.Row{{Status: 200, ServedBy: "service"}, {Status: 503, ServedBy: "proxy"}},
			false, "first 503 from proxy"},
		{"client errors of the stream", "  - {stream: poison, client_errors: 0}\n",
			[]ledger.Row{{Status: 500, ServedBy: "service"}, {Status: 500, ServedBy: "service", Stream: "poison"}},
			false, "1 client error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := scenario.Parse("", strings.NewReader(streamStory+tt.expect))
			if err != nil {
				t.Fatal(err)
			}
			l := ledger.New(t0)
			l.Mark(ledger.Mark{At: t0, Name: "start", Kind: ledger.MarkEvent})
			l.Mark(ledger.Mark{At: t0.Add(10 * time.Second), Name: "end", Kind: ledger.MarkEvent})
			for i, r := range tt.rows {
				r.Sent = t0.Add(time.Duration(i+1) * time.Second)
				r.Scheduled = r.Sent
				l.Record(r)
			}
			res := Evaluate(s, l)[0]
			if res.Pass != tt.pass || !strings.Contains(res.Measured, tt.msg) {
				t.Errorf("got pass %v %q, want %v and %q", res.Pass, res.Measured, tt.pass, tt.msg)
			}
		})
	}
}

func TestStreamValidation(t *testing.T) {
	for _, tt := range []struct{ expect, want string }{
		{"  - {stream: poisn, client_errors: 0}\n", `no stream named "poisn"`},
		{"  - {never_ejected: nobody}\n", `no node named "nobody"`},
	} {
		_, err := scenario.Parse("", strings.NewReader(streamStory+tt.expect))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", strings.TrimSpace(tt.expect), err, tt.want)
		}
	}
}
