package agent

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/load"
)

// delayLine is a one-way link that delivers each write d after it was
// made, in order, without slowing the writer: a stand-in for the way to a
// remote engine.
func delayLine(d time.Duration) (io.WriteCloser, io.Reader) {
	pr, pw := io.Pipe()
	type chunk struct {
		due time.Time
		b   []byte
	}
	ch := make(chan chunk, 4096)
	go func() {
		for c := range ch {
			time.Sleep(time.Until(c.due)) // the link's delay, not a wait for readiness
			if _, err := pw.Write(c.b); err != nil {
				break
			}
		}
		pw.Close()
	}()
	return &lineWriter{ch: func(b []byte) { ch <- chunk{time.Now().Add(d), b} }, close: func() { close(ch) }}, pr
}

type lineWriter struct {
	once  sync.Once
	ch    func([]byte)
	close func()
}

func (w *lineWriter) Write(b []byte) (int, error) { w.ch(slices.Clone(b)); return len(b), nil }
func (w *lineWriter) Close() error                { w.once.Do(w.close); return nil }

// pair starts an agent (Serve) and the lab's Client on links of delay d
// each way; the agent ends with the test.
func pair(t *testing.T, d time.Duration) *Client {
	t.Helper()
	toAgent, agentIn := delayLine(d)
	agentOut, fromAgent := delayLine(d)
	served := make(chan error, 1)
	go func() { served <- Serve(context.Background(), agentIn, agentOut); agentOut.Close() }()
	c, err := Dial(t.Context(), toAgent, fromAgent)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.Close()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
		<-c.Done()
	})
	return c
}

// The load runs in the agent and its rows land in the lab's ledger on the
// lab's clock: with 40 ms each way between them, a row's send time is
// where the server (in the lab's process) saw it, not 40 ms off, as a
// start stamped when the lab said "go" would put it.
func TestLoadRowsOnTheLabsClock(t *testing.T) {
	const oneWay = 40 * time.Millisecond
	var mu sync.Mutex
	seen := map[string]time.Time{} // X-Vegeta-Seq → when the server saw it, lab's clock
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Header.Get("X-Vegeta-Seq")] = time.Now()
		mu.Unlock()
		w.Header().Set("X-Served-By", "service")
	}))
	defer srv.Close()
	c := pair(t, oneWay)
	if b := c.ClockBound(); b < oneWay || b > oneWay+50*time.Millisecond {
		t.Errorf("clock bound %v, want about half the %v round trip", b, 2*oneWay)
	}
	l := ledger.New(time.Now())
	began := time.Now()
	if err := c.Load(t.Context(), load.Spec{Target: srv.URL, Rate: 50, Duration: 400 * time.Millisecond, Stream: "main"}, l); err != nil {
		t.Fatal(err)
	}
	ended := time.Now()
	rows := l.Rows()
	if len(rows) < 15 {
		t.Fatalf("got %d rows, want about 20 (50/s for 400ms)", len(rows))
	}
	var offs []time.Duration
	for _, r := range rows {
		if r.Status != 200 || r.ServedBy != "service" || r.Stream != "main" {
			t.Fatalf("row %+v: want 200 from service in stream main", r)
		}
		if r.Sent.Before(began) || r.Sent.After(ended) {
			t.Errorf("row %d sent at %v from the call, outside it (0 to %v)", r.Seq, r.Sent.Sub(began), ended.Sub(began))
		}
		mu.Lock()
		at, ok := seen[strconv.Itoa(r.Seq)]
		mu.Unlock()
		if ok {
			offs = append(offs, at.Sub(r.Sent))
		}
	}
	slices.Sort(offs)
	if med := offs[len(offs)/2]; med.Abs() > 15*time.Millisecond {
		t.Errorf("the server saw a request %v after its row's send time (median of %d), want within 15ms: the clocks are not aligned", med, len(offs))
	}
}

// A GET from the agent answers with what came back and when it was sent;
// a host the rule does not allow is refused there, whatever the lab asks.
func TestGet(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Served-By", "failover")
		w.WriteHeader(http.StatusTeapot)
	}))
	defer srv.Close()
	c := pair(t, 0)
	asked := time.Now()
	sent, a := c.Get(t.Context(), srv.URL+"/x", load.Reach{})
	if a.Status != http.StatusTeapot || a.ServedBy != "failover" || a.Err != "" {
		t.Errorf("got %+v, want 418 from failover", a)
	}
	if sent.Before(asked.Add(-c.ClockBound())) || sent.After(time.Now()) {
		t.Errorf("sent %v after asking, want within the call", sent.Sub(asked))
	}
	if _, a := c.Get(t.Context(), "http://192.0.2.1:80/", load.Reach{Network: []string{"proxy"}}); a.Err == "" || a.Status != 0 {
		t.Errorf("a host off the rule: got %+v, want an error and no request", a)
	}
}

// A spec the agent refuses is the Load's error; a stopped load returns
// nil soon; a load whose agent goes away says so.
func TestLoadEnds(t *testing.T) {
	hang := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(hang)
	c := pair(t, 0)
	l := ledger.New(time.Now())
	if err := c.Load(t.Context(), load.Spec{Target: "http://192.0.2.1:80", Rate: 5}, l); !errorsContain(err, "never sends load elsewhere") {
		t.Errorf("a target off the rule: got %v, want the agent's refusal", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	began := time.Now()
	if err := c.Load(ctx, load.Spec{Target: srv.URL, Rate: 20, Timeout: time.Minute}, l); err != nil {
		t.Errorf("stopped: got %v, want nil", err)
	}
	if took := time.Since(began); took > 20*time.Second {
		t.Errorf("stopped after %v, want soon after the 300ms deadline", took)
	}
	if n := len(l.Rows()); n != 0 {
		t.Errorf("got %d rows, want none: requests cut short by the stop are not answers", n)
	}

	agentIn, toAgent := io.Pipe()
	fromAgent, agentOut := io.Pipe()
	go func() { _ = Serve(context.Background(), agentIn, agentOut); agentOut.Close() }()
	gone, err := Dial(t.Context(), toAgent, fromAgent)
	if err != nil {
		t.Fatal(err)
	}
	loaded := make(chan error, 1)
	go func() { loaded <- gone.Load(context.Background(), load.Spec{Target: srv.URL, Rate: 20}, l) }()
	fromAgent.CloseWithError(errors.New("container removed"))
	if err := <-loaded; !errors.Is(err, ErrGone) {
		t.Errorf("agent gone: got %v, want ErrGone", err)
	}
	gone.Close()
}

func errorsContain(err error, s string) bool {
	return err != nil && strings.Contains(err.Error(), s)
}
