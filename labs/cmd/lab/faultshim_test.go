package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/fixtures/app"
	"github.com/failover-lab/failover-lab/labs"
)

// goneRun is a fakeRun whose Clear answers like a control API that has
// already dropped the fault (its count ran out).
type goneRun struct{ *fakeRun }

func (goneRun) Clear(context.Context, labs.Applied) error {
	return errors.New(`clear fault f1: 404 Not Found: no active fault "f1"`)
}

func TestFaultShim(t *testing.T) {
	do := func(h http.Handler, method, path, body string) (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(method, path, strings.NewReader(body)))
		return rec.Code, rec.Body.String()
	}
	t.Run("apply, list, clear one", func(t *testing.T) {
		run := &fakeRun{}
		h := newFaultShim(run, "service")
		if code, body := do(h, "POST", "/faults", `{"kind":"status","status":502,"count":3}`); code != 201 || !strings.Contains(body, `"id": "f1"`) {
			t.Fatalf("POST: got %d %s, want 201 with id f1", code, body)
		}
		code, body := do(h, "GET", "/faults", "")
		var list []app.Fault
		if err := json.Unmarshal([]byte(body), &list); code != 200 || err != nil || len(list) != 1 || list[0].Status != 502 {
			t.Fatalf("GET: got %d %s, want the one fault", code, body)
		}
		if code, _ := do(h, "DELETE", "/faults/f1", ""); code != 204 {
			t.Errorf("DELETE /faults/f1: got %d, want 204", code)
		}
		if code, _ := do(h, "DELETE", "/faults/f1", ""); code != 404 {
			t.Errorf("DELETE /faults/f1 again: got %d, want 404", code)
		}
		if fmt.Sprint(run.cleared) != "[f1]" {
			t.Errorf("cleared %v, want [f1]", run.cleared)
		}
	})
	t.Run("bad input is a 400", func(t *testing.T) {
		h := newFaultShim(&fakeRun{}, "service")
		for _, body := range []string{``, `{"kind":"status","stauts":500}`, `not json`} {
			if code, _ := do(h, "POST", "/faults", body); code != 400 {
				t.Errorf("POST %q: got %d, want 400", body, code)
			}
		}
	})
	t.Run("a fault the app already dropped counts as cleared", func(t *testing.T) {
		h := newFaultShim(goneRun{&fakeRun{}}, "service")
		do(h, "POST", "/faults", `{"kind":"status","status":500,"count":1}`)
		if code, body := do(h, "DELETE", "/faults", ""); code != 204 {
			t.Errorf("DELETE /faults: got %d %s, want 204", code, body)
		}
	})
}
