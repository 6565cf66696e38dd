package member_test

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"testing/synctest"
	"time"

	"github.com/failover-lab/failover-lab/proxy/member"
)

func newMember() *member.Member {
	u, _ := url.Parse("http://a")
	return member.New("a", u, 0, 1)
}

func TestCheckDuringHoldDownIgnored(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMember()
		started := time.Now()
		time.Sleep(time.Millisecond)
		m.PassiveFailure("500 on GET /", member.Rule{Failures: 1, Window: 10 * time.Second, HoldDown: 5 * time.Second, MayEject: true})
		// A check that started before the failure passes afterwards.
		m.CheckDone(member.Check{At: started, Pass: true, Reason: "status 200"}, 1, 1)
		if m.Health() != member.Error {
			t.Fatalf("got %s, want error: a check from before the hold-down must not readmit", m.Health())
		}
		time.Sleep(5 * time.Second)
		m.CheckDone(member.Check{At: time.Now(), Pass: true, Reason: "status 200"}, 1, 1)
		if m.Health() != member.Up {
			t.Errorf("after the hold-down, a passing probe: got %s, want up", m.Health())
		}
	})
}

func TestFailuresInWindow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMember()
		m.PassiveFailure("500 on GET /a", member.Rule{Failures: 3, Window: 10 * time.Second, HoldDown: time.Second, MayEject: true})
		time.Sleep(11 * time.Second) // the first failure leaves the window
		m.PassiveFailure("500 on GET /b", member.Rule{Failures: 3, Window: 10 * time.Second, HoldDown: time.Second, MayEject: true})
		m.PassiveFailure("500 on GET /c", member.Rule{Failures: 3, Window: 10 * time.Second, HoldDown: time.Second, MayEject: true})
		if m.Health() != member.Up {
			t.Fatalf("2 failures in the window: got %s, want up", m.Health())
		}
		m.PassiveFailure("502 on GET /d", member.Rule{Failures: 3, Window: 10 * time.Second, HoldDown: time.Second, MayEject: true})
		tr, _ := m.LastTransition()
		if m.Health() != member.Error || tr.Cause != "passive: 3 failures in a row within 10s, last 502 on GET /d" {
			t.Errorf("3 failures: got %s %q", m.Health(), tr.Cause)
		}
	})
}

func TestAdminTransitionsRecorded(t *testing.T) {
	m := newMember()
	if !m.SetAdmin(member.Draining, "admin: drain") || m.SetAdmin(member.Draining, "admin: drain") {
		t.Error("drain twice: want the first to change, the second not")
	}
	m.SetAdmin(member.Active, "admin: enable")
	tl := m.Transitions()
	if len(tl) != 2 || tl[0].From != "up" || tl[0].To != "draining" || tl[1].Cause != "admin: enable" {
		t.Errorf("timeline: got %+v", tl)
	}
}

func TestHistoryKeepsLastN(t *testing.T) {
	m := newMember()
	for i := range member.HistorySize + 5 {
		if i%2 == 0 {
			m.SetAdmin(member.Disabled, "admin: disable")
		} else {
			m.SetAdmin(member.Active, "admin: enable")
		}
	}
	tl := m.Transitions()
	if len(tl) != member.HistorySize {
		t.Fatalf("got %d transitions, want %d", len(tl), member.HistorySize)
	}
	if last, _ := m.LastTransition(); last != tl[len(tl)-1] || last.Cause != "admin: disable" {
		t.Errorf("last: got %+v", last)
	}
}

// TestAttemptRegisteredAfterTheEjectionIsRescued: an attempt that picked
// the member before its ejection but registers as waiting after the
// ejection swept the waiters is rescued at once, not left waiting on a
// member that is out.
func TestAttemptRegisteredAfterTheEjectionIsRescued(t *testing.T) {
	m := newMember()
	m.PassiveFailure("500 on GET /", member.Rule{Failures: 1, Window: 10 * time.Second, HoldDown: 5 * time.Second, MayEject: true})
	if m.Health() == member.Up {
		t.Fatal("the member was not ejected")
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	id := m.Waiting(cancel)
	defer m.DoneWaiting(id)
	if !errors.Is(context.Cause(ctx), member.ErrRescued) || m.Rescues() != 1 {
		t.Errorf("cause %v, %d rescues; want ErrRescued, 1", context.Cause(ctx), m.Rescues())
	}

	up := newMember()
	ctx, cancel = context.WithCancelCause(context.Background())
	id = up.Waiting(cancel)
	defer up.DoneWaiting(id)
	if ctx.Err() != nil || up.Rescues() != 0 {
		t.Errorf("an up member's attempt: cause %v, %d rescues; want it left waiting", context.Cause(ctx), up.Rescues())
	}
}
