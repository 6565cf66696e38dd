package cli

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// adminPost posts to the admin with a Bearer token.
func adminPost(t *testing.T, url, token string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestReloadRotatesAdminToken: a reload that changed admin.token reported
// success while the old token kept working.
func TestReloadRotatesAdminToken(t *testing.T) {
	svc, stb := namedBackend(t, "service", 200), namedBackend(t, "failover", 200)
	withToken := func(tok string) string {
		return strings.Replace(fileConfig(svc.URL, stb.URL), `admin: {listen: "127.0.0.1:0"}`, `admin: {listen: "127.0.0.1:0", token: `+tok+`}`, 1)
	}
	path := writeFile(t, withToken("old-token"))
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	_, adm, stop := started(t, cfg, func() (*config.Config, error) { return config.Load(path) }, &syncBuffer{})
	defer stop()
	os.WriteFile(path, []byte(withToken("new-token")), 0o644)
	if code := adminPost(t, "http://"+adm+"/reload", "old-token"); code != 200 {
		t.Fatalf("reload with the old token: got %d, want 200", code)
	}
	for tok, want := range map[string]int{"old-token": 401, "new-token": 200} {
		if code := adminPost(t, "http://"+adm+"/pools/web/members/service/enable", tok); code != want {
			t.Errorf("after the rotation, %s: got %d, want %d", tok, code, want)
		}
	}
}
