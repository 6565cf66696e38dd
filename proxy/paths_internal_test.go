package proxy

import (
	"net/url"
	"testing"
)

func TestCleanAndJoinPath(t *testing.T) {
	for _, tc := range []struct {
		name, base, target string
		want               string // escaped path sent to the member; "" = refused
	}{
		{"plain", "/", "/a/b", "/a/b"},
		{"base", "/app/", "/a/b", "/app/a/b"},
		{"base no slash", "/app", "/a", "/app/a"},
		{"encoded slash kept", "/app/", "/x%2Fy", "/app/x%2Fy"},
		{"encoded space kept", "/", "/a%20b", "/a%20b"},
		{"dot dot cannot climb", "/app/", "/../secret", "/app/secret"},
		{"dot dot deep", "/app/", "/a/../../../secret", "/app/secret"},
		{"encoded dots", "/app/", "/a/%2e%2E/b", "/app/b"},
		{"single dot", "/app/", "/a/./b/.", "/app/a/b/"},
		{"trailing dot dot", "/", "/a/b/..", "/a/"},
		{"merged slashes", "/app/", "//a///b", "/app/a/b"},
		{"trailing slash kept", "/app/", "/a/", "/app/a/"},
		{"dot dot encoded slash", "/app/", "/a/..%2F..%2Fsecret", ""},
		{"dot encoded slash", "/app/", "/.%2Fx", ""},
		{"backslash", "/app/", `/a/..\secret`, ""},
		{"encoded backslash", "/app/", "/a/..%5Csecret", ""},
		{"dots in names", "/app/", "/a..b/.well-known/x", "/app/a..b/.well-known/x"},
		{"encoded base", "/a%2Fb/", "/c%2Fd", "/a%2Fb/c%2Fd"},
		{"encoded base plain request", "/a%2Fb/", "/c", "/a%2Fb/c"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base, err := url.Parse("http://m" + tc.base)
			if err != nil {
				t.Fatal(err)
			}
			req, err := url.ParseRequestURI(tc.target)
			if err != nil {
				t.Fatal(err)
			}
			_, _, cerr := cleanPath(req)
			if tc.want == "" {
				if cerr == nil {
					t.Fatalf("%s: got no error, want it refused", tc.target)
				}
				return
			}
			if cerr != nil {
				t.Fatalf("%s: %v", tc.target, cerr)
			}
			p, raw := joinPath(base, req)
			got := (&url.URL{Path: p, RawPath: raw}).EscapedPath()
			if got != tc.want {
				t.Errorf("got %s (path %q raw %q), want %s", got, p, raw, tc.want)
			}
		})
	}
}
