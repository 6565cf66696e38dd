package load

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/failover-lab/failover-lab/labs/ledger"
)

// countPacer sends n hits as fast as the workers go, then stops.
type countPacer uint64

func (n countPacer) Pace(_ time.Duration, hits uint64) (time.Duration, bool) {
	return 0, hits >= uint64(n)
}
func (countPacer) Rate(time.Duration) float64 { return 0 }

// BenchmarkLedgerOverhead runs the same unpaced batch through vegeta alone
// (results dropped) and through this package (transport hooks, error
// capture, ledger rows), and reports the time per request of each and their
// ratio. Compare the ratio, measured in one run, not the absolute numbers.
func BenchmarkLedgerOverhead(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Served-By", "service")
	}))
	defer srv.Close()
	const batch, workers = 2000, 8

	var alone, withLedger time.Duration
	for b.Loop() {
		begin := time.Now()
		atk := vegeta.NewAttacker(vegeta.Workers(workers), vegeta.MaxWorkers(workers), vegeta.MaxBody(0), vegeta.KeepAlive(true))
		tgt := vegeta.NewStaticTargeter(vegeta.Target{Method: http.MethodGet, URL: srv.URL})
		for range atk.Attack(tgt, countPacer(batch), 0, "") {
		}
		alone += time.Since(begin)

		begin = time.Now()
		l := ledger.New(begin)
		s := Spec{Target: srv.URL, Rate: 1, MaxWorkers: workers}.withDefaults()
		if err := run(b.Context(), s, countPacer(batch), nil, l); err != nil {
			b.Fatal(err)
		}
		withLedger += time.Since(begin)
		if n := len(l.Rows()); n != batch {
			b.Fatalf("got %d rows, want %d", n, batch)
		}
	}
	perReq := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N*batch) }
	b.ReportMetric(perReq(alone), "ns/req-vegeta")
	b.ReportMetric(perReq(withLedger), "ns/req-ledger")
	b.ReportMetric(float64(withLedger)/float64(alone), "ratio")
}
