package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"net/http"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/failover-lab/failover-lab/fixtures/app"
	"github.com/failover-lab/failover-lab/labs"
)

// faultShim gives `lab up` the app's control API (docs/contracts.md) on a
// fixed port, so the break/fix commands are the same as for the compose
// demo. labs.Run does not expose a node's control URL, so instead of
// relaying, the shim applies each fault through Run.Apply, the lab's own
// fault path (which also stamps the run's ledger).
//
//	GET    /faults       the faults applied through the shim
//	POST   /faults       apply one (app.Fault JSON) → 201 and the fault with its id
//	DELETE /faults/{id}  clear one → 204 (404 when unknown)
//	DELETE /faults       clear all → 204
type faultShim struct {
	run  labs.Run
	node string

	mu      sync.Mutex
	n       int         // ids handed out: f1, f2, ...
	applied []shimFault // in order; Fault.Name is the id
}

// shimFault is a fault applied through the shim, and the control API's
// form of it that GET /faults lists.
type shimFault struct {
	labs.Applied
	api app.Fault
}

func newFaultShim(run labs.Run, node string) http.Handler {
	s := &faultShim{run: run, node: node}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /faults", s.list)
	mux.HandleFunc("POST /faults", s.apply)
	mux.HandleFunc("DELETE /faults", s.clearAll)
	mux.HandleFunc("DELETE /faults/{id}", s.clearOne)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "fault-control API of node %s (through lab up)\n%s", node, shimHelp)
	})
	return mux
}

const shimHelp = `GET    /faults       faults applied here
POST   /faults       apply one: {"id":"broken","kind":"status","status":500}
DELETE /faults/{id}  clear one
DELETE /faults       clear all
kinds: status, latency, hang, reset, truncate, exit, health
`

func (s *faultShim) list(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	out := make([]app.Fault, 0, len(s.applied))
	for _, a := range s.applied {
		out = append(out, a.api)
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (s *faultShim) apply(w http.ResponseWriter, r *http.Request) {
	var f app.Fault
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody{Error: "body: " + err.Error()})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.ID == "" {
		s.n++
		f.ID = fmt.Sprintf("f%d", s.n)
	}
	// The app replaces a fault of the same id; forget the old one here too.
	s.applied = slices.DeleteFunc(s.applied, func(a shimFault) bool { return a.Fault.Name == f.ID })
	vf, err := httpFault(f, s.node)
	var a labs.Applied
	if err == nil {
		a, err = s.run.Apply(r.Context(), vf)
	}
	if err != nil {
		status := http.StatusBadGateway
		if errors.Is(err, vocab.ErrInvalid) || errors.Is(err, app.ErrInvalid) {
			status = http.StatusBadRequest
		}
		writeJSON(w, status, errorBody{Error: err.Error()})
		return
	}
	s.applied = append(s.applied, shimFault{a, f})
	writeJSON(w, http.StatusCreated, f)
}

// httpFault is the lab's http fault for the control API's f on node: its
// keys are the http kinds' settings, so it decodes as a scenario's would.
func httpFault(f app.Fault, node string) (vocab.Fault, error) {
	id := f.ID
	f.ID = ""
	b, err := yaml.Marshal(map[string]any{"node": node, "http": f})
	if err != nil {
		return vocab.Fault{}, err
	}
	var vf vocab.Fault
	if err := yaml.Unmarshal(b, &vf); err != nil {
		return vocab.Fault{}, err
	}
	vf.Name = id
	return vf, nil
}

func (s *faultShim) clearOne(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.applied, func(a shimFault) bool { return a.Fault.Name == id })
	if i < 0 {
		writeJSON(w, http.StatusNotFound, errorBody{Error: fmt.Sprintf("no active fault %q", id)})
		return
	}
	a := s.applied[i]
	s.applied = slices.Delete(s.applied, i, i+1)
	if err := s.clear(r.Context(), a.Applied); err != nil {
		writeJSON(w, http.StatusBadGateway, errorBody{Error: err.Error()})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *faultShim) clearAll(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, a := range s.applied {
		errs = append(errs, s.clear(r.Context(), a.Applied))
	}
	s.applied = nil
	if err := errors.Join(errs...); err != nil {
		writeJSON(w, http.StatusBadGateway, errorBody{Error: err.Error()})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// clear clears a; a fault the app already dropped (its count or for ran
// out: the app answers 404) counts as cleared.
func (s *faultShim) clear(ctx context.Context, a labs.Applied) error {
	err := s.run.Clear(ctx, a)
	if err != nil && strings.Contains(err.Error(), "404 Not Found") {
		return nil
	}
	return err
}

type errorBody struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
