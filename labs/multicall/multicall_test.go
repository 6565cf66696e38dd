package multicall

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Every name is in the table once, with a main; Command puts serve NAME
// between the carrier and the program's arguments.
func TestTable(t *testing.T) {
	seen := map[Name]bool{}
	for _, p := range Programs {
		if seen[p.Name] || p.Main == nil || p.Doc == "" {
			t.Errorf("%s: twice, or without a main or a doc", p.Name)
		}
		seen[p.Name] = true
		if got, ok := Lookup(string(p.Name)); !ok || got.Name != p.Name {
			t.Errorf("Lookup(%s): got %v, %v", p.Name, got.Name, ok)
		}
	}
	for _, n := range []Name{App, ErrorPage, FailoverProxy, Toxiproxy, Healthcheck, Load} {
		if !seen[n] {
			t.Errorf("%s: not in the table", n)
		}
	}
	if got := strings.Join(Command("/lab", App, "-name", "x"), " "); got != "/lab serve app -name x" {
		t.Errorf("Command: got %q", got)
	}
}

// Serve runs the named program with the rest of the words and returns its
// exit code; no name or an unknown one is 2 with the list.
func TestServe(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/health" {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	for _, tt := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"healthy", []string{"healthcheck", srv.URL + "/health"}, 0, ""},
		{"unhealthy", []string{"healthcheck", srv.URL + "/down"}, 1, "status 503"},
		{"no program", nil, 2, "usage: lab serve PROGRAM [ARGS]\nprograms:\n  app "},
		{"unknown", []string{"nginx"}, 2, `unknown program "nginx"`},
		{"toxiproxy's version", []string{"toxiproxy", "-version"}, 0, ""},
		{"a program's bad flag", []string{"errorpage", "-nope"}, 2, "flag provided but not defined: -nope"},
		{"load takes no arguments", []string{"load", "http://127.0.0.1:1"}, 2, "no arguments expected"},
		{"load's help", []string{"load", "-h"}, 0, "usage: lab serve load"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := Serve(tt.args, &out, &errb); code != tt.code || !strings.Contains(errb.String(), tt.stderr) {
				t.Errorf("got %d, stderr %q; want %d with %q", code, errb.String(), tt.code, tt.stderr)
			}
		})
	}
}
