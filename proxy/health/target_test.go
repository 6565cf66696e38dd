package health_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/proxy/config"
	"github.com/failover-lab/failover-lab/proxy/health"
	"github.com/failover-lab/failover-lab/proxy/pool"
)

// targetMember records the request target of each check.
type targetMember struct{ got []string }

func (f *targetMember) RoundTrip(r *http.Request) (*http.Response, error) {
	f.got = append(f.got, r.URL.RequestURI())
	return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("ok")), Request: r}, nil
}

// TestCheckSendsQueryAsQuery: "/health?deep=1" was once probed as
// "/health%3Fdeep=1".
func TestCheckSendsQueryAsQuery(t *testing.T) {
	for _, tc := range []struct{ base, path, want string }{
		{"http://a.test", "/health?deep=1", "/health?deep=1"},
		{"http://a.test/app/", "/health?deep=1&x=%2F", "/app/health?deep=1&x=%2F"},
		{"http://a.test", "/plain", "/plain"},
	} {
		pc := config.DefaultPool()
		pc.Members = []config.Member{{Name: "a", URL: tc.base, Weight: 1}}
		pc.Health.Path = tc.path
		p, err := pool.New("web", pc, nil)
		if err != nil {
			t.Fatal(err)
		}
		f := &targetMember{}
		p.Transport = f
		c := &health.Checker{Pool: p}
		if res := c.CheckOnce(t.Context(), p.Members[0]); !res.Pass {
			t.Fatalf("%s: check failed: %s", tc.path, res.Reason)
		}
		if len(f.got) != 1 || f.got[0] != tc.want {
			t.Errorf("%s on %s: got %v, want %s", tc.path, tc.base, f.got, tc.want)
		}
	}
}
