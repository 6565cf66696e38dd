package proxy

import (
	"net/url"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/pool"
)

// FuzzPaths: for any request target, the path sent to a member stays under
// its base, holds no dot segment a member could resolve, keeps what the
// client encoded, and cleaning is idempotent; routes match that path.
func FuzzPaths(f *testing.F) {
	for _, s := range []string{"/", "/a/b", "/../x", "/a/..%2F..%2Fx", "/%2e%2e/x", "//a//b/", "/a%2Fb", `/a\..\b`,
		"/x?q=1", "/a/./b/../c/", "/%zz", "/%252e%252e/"} {
		f.Add(s, "/app/")
	}
	routes := fuzzRoutes(f)
	f.Fuzz(func(t *testing.T, target, basePath string) {
		req, err := url.ParseRequestURI(target)
		if err != nil {
			return // the server answers 400 before the handler
		}
		base, err := url.Parse("http://m")
		if err != nil {
			return
		}
		base.Path = "/" + strings.Trim(basePath, "/") + "/"
		if strings.Contains(base.Path, "..") || strings.Contains(base.Path, "//") {
			return // config-checked bases only
		}
		p, raw, err := cleanPath(req)
		if err != nil {
			return
		}
		esc := (&url.URL{Path: p, RawPath: raw}).EscapedPath()
		again, err := url.ParseRequestURI(esc)
		if err != nil {
			t.Fatalf("%q cleaned to %q, not a path: %v", target, esc, err)
		}
		p2, raw2, err := cleanPath(again)
		if err != nil || p2 != p || (&url.URL{Path: p2, RawPath: raw2}).EscapedPath() != esc {
			t.Fatalf("not idempotent: %q -> %q -> %q (%v)", target, esc, p2, err)
		}
		for _, seg := range strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == '\\' }) {
			if seg == "." || seg == ".." {
				t.Fatalf("%q cleaned to %q: a dot segment left", target, p)
			}
		}
		jp, jraw := joinPath(base, req)
		if !strings.HasPrefix(jp, strings.TrimSuffix(base.Path, "/")+"/") {
			t.Fatalf("%q joined to %q, outside %q", target, jp, base.Path)
		}
		if jraw != "" {
			if dec, err := url.PathUnescape(jraw); err != nil || dec != jp {
				t.Fatalf("raw %q does not decode to %q (%v)", jraw, jp, err)
			}
		}
		if got := routes.route(p); got == nil || (got.pool.Name == "admin") != strings.HasPrefix(p, "/admin/") {
			t.Fatalf("%q (cleaned %q) routed to %v", target, p, got)
		}
	})
}

// fuzzRoutes is a handler with "/" → web and "/admin/" → admin.
func fuzzRoutes(f *testing.F) *Handler {
	pools := map[string]*pool.Pool{}
	for _, name := range []string{"web", "admin"} {
		pc := config.DefaultPool()
		pc.Members = []config.Member{{Name: "m", URL: "http://m", Weight: 1}}
		p, err := pool.New(name, pc, nil)
		if err != nil {
			f.Fatal(err)
		}
		pools[name] = p
	}
	h := &Handler{}
	h.SetRoutes([]config.Route{{Path: "/", Pool: "web"}, {Path: "/admin/", Pool: "admin"}}, pools)
	return h
}
