package products

import (
	"bytes"
	"errors"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// renderKind renders the seed topology for kind with members on fixed
// loopback ports, into a fresh directory, and returns the file's path.
func renderKind(t *testing.T, kind vocab.ProxyKind, pool config.Pool) (string, []byte) {
	t.Helper()
	return renderProduct(t, registry[kind], kind, pool)
}

func renderProduct(t *testing.T, k Product, kind vocab.ProxyKind, pool config.Pool) (string, []byte) {
	t.Helper()
	top := seedTopology()
	top.Proxy.Kind = kind
	top.Proxy.Pool = pool
	ports := map[string]string{"service": "127.0.0.1:18090", "failover": "127.0.0.1:18091"}
	b, err := k.Config(top, "127.0.0.1:18080", "127.0.0.1:18081", "", func(n vocab.Node) string { return "http://" + ports[n.Name] }, TLSFiles{})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), k.File)
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return file, b
}

// seedPool is the seed story's pool; otherPool sets what it leaves at the
// defaults (policy, body match, status lists, sub-second durations).
var (
	seedPool  = config.Pool{Health: config.Health{Path: "/health", Interval: 5 * time.Second}}
	otherPool = config.Pool{
		Policy: config.PolicyLeastRequests,
		Health: config.Health{Method: "HEAD", Path: "/health", Interval: 300 * time.Millisecond, Jitter: 0.2,
			ExpectStatus: []string{"200", "300-399"}, ExpectBody: "o#k"},
		Passive:  config.Passive{Statuses: []int{500, 501, 429}, Failures: 3, HoldDown: 1500 * time.Millisecond},
		Retry:    config.Retry{Attempts: 1},
		Timeouts: config.Timeouts{Dial: 250 * time.Millisecond},
	}
)

// The rendered configs carry the seed story's settings, and every
// directive says why on the line above.
func TestKindConfigs(t *testing.T) {
	tests := []struct {
		kind vocab.ProxyKind
		want []string
	}{
		{vocab.ProxyApache, []string{
			"BalancerMember http://127.0.0.1:18090 loadfactor=1 retry=5 ",
			"hcmethod=GET hcuri=/health hcinterval=5 hcfails=1 hcpasses=1 hcexpr=ok\n",
			"BalancerMember http://127.0.0.1:18091 ", " status=+H\n",
			"ProxySet lbmethod=byrequests failonstatus=500,502,503,504 maxattempts=2\n",
			"ProxyHCExpr ok {((%{REQUEST_STATUS} -ge 200 && %{REQUEST_STATUS} -le 399))}\n",
			"PidFile httpd.pid\n", "ErrorLog error.log\n", "User www-data\n",
		}},
		{vocab.ProxyNginx, []string{
			"server 127.0.0.1:18090 weight=1 max_fails=1 fail_timeout=5s;\n",
			"server 127.0.0.1:18091 weight=1 max_fails=1 fail_timeout=5s backup;\n",
			"proxy_next_upstream error timeout http_500 http_502 http_503 http_504;\n",
			"proxy_next_upstream_tries 3;\n", "No active health check: nginx OSS has none",
			"location = /ready",
		}},
		{vocab.ProxyHAProxy, []string{
			"option httpchk GET /health\n", "http-check expect status 200-399\n",
			"default-server inter 5s fastinter 1s downinter 1s fall 1 rise 1 observe layer7 error-limit 1 on-error mark-down\n",
			"server service 127.0.0.1:18090 weight 1 check\n",
			"server failover 127.0.0.1:18091 weight 1 check backup\n",
			"retry-on 500 502 503 504 conn-failure empty-response response-timeout\n",
			"monitor-uri /ready\n",
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			_, b := renderKind(t, tt.kind, seedPool)
			for _, w := range tt.want {
				if !bytes.Contains(b, []byte(w)) {
					t.Errorf("config lacks %q; got:\n%s", w, b)
				}
			}
			prev := ""
			for i, line := range strings.Split(string(b), "\n") {
				l := strings.TrimSpace(line)
				closing := l == "" || l == "}" || strings.HasPrefix(l, "</")
				if !closing && !strings.HasPrefix(l, "#") && !strings.HasPrefix(prev, "#") {
					t.Errorf("line %d %q: got no comment above it, want its reason", i+1, l)
				}
				prev = l
			}
		})
	}
}

// Each product accepts the config it is given (its own syntax check).
func TestKindConfigsCheck(t *testing.T) {
	checks := map[vocab.ProxyKind]func(file string) []string{
		vocab.ProxyApache:  func(f string) []string { return []string{"-t", "-d", filepath.Dir(f), "-f", f} },
		vocab.ProxyNginx:   func(f string) []string { return []string{"-t", "-p", filepath.Dir(f) + "/", "-c", f, "-e", "stderr"} },
		vocab.ProxyHAProxy: func(f string) []string { return []string{"-c", "-f", f} },
	}
	for kind, args := range checks {
		t.Run(string(kind), func(t *testing.T) {
			k := registry[kind]
			bin, err := SystemBinary(k.Binary, k.Pkg)
			if errors.Is(err, ErrNotInstalled) {
				t.Skipf("%s: %v", kind, err)
			}
			for _, pool := range []config.Pool{seedPool, otherPool} {
				file, _ := renderKind(t, kind, pool)
				out, err := exec.Command(bin, args(file)...).CombinedOutput()
				if err != nil {
					t.Fatalf("%s %v: %v\n%s", bin, args(file), err, out)
				}
			}
		})
	}
}

// As its users run it (the bench), each product still accepts its config,
// with the production settings in it and no one-process switch.
func TestAsUsersRun(t *testing.T) {
	tests := []struct {
		kind      vocab.ProxyKind
		check     func(file string) []string
		want, not string
	}{
		{vocab.ProxyNginx, func(f string) []string { return []string{"-t", "-p", filepath.Dir(f) + "/", "-c", f, "-e", "stderr"} },
			"worker_processes auto;", "master_process off;"},
		{vocab.ProxyApache, func(f string) []string { return []string{"-t", "-d", filepath.Dir(f), "-f", f} },
			"ThreadsPerChild 25", "ThreadsPerChild 64"},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			k := AsUsersRun(tt.kind)
			file, b := renderProduct(t, k, tt.kind, seedPool)
			if !strings.Contains(string(b), tt.want) || strings.Contains(string(b), tt.not) {
				t.Fatalf("config: want %q and not %q, got:\n%s", tt.want, tt.not, b)
			}
			if args := strings.Join(k.Args(file), " "); strings.Contains(args, "-X") || strings.Contains(args, "master_process") {
				t.Errorf("args %q: want no one-process switch", args)
			}
			bin, err := SystemBinary(k.Binary, k.Pkg)
			if errors.Is(err, ErrNotInstalled) {
				t.Skipf("%s: %v", tt.kind, err)
			}
			if out, err := exec.Command(bin, tt.check(file)...).CombinedOutput(); err != nil {
				t.Fatalf("%s %v: %v\n%s", bin, tt.check(file), err, out)
			}
		})
	}
	if got, want := AsUsersRun(vocab.ProxyHAProxy).Args("x.cfg"), For(vocab.ProxyHAProxy).Args("x.cfg"); !slices.Equal(got, want) {
		t.Errorf("haproxy args: got %v, want %v (its default threads already)", got, want)
	}
}

// The packaged proxies run on Docker from the products image: CheckDocker
// lets them through, and their command in a container starts with the
// binary (the image has no entrypoint), with -g "daemon off;" added to
// nginx for a user's own config.
func TestPackagedKindsRunFromTheProductsImage(t *testing.T) {
	for _, kind := range []vocab.ProxyKind{vocab.ProxyApache, vocab.ProxyNginx, vocab.ProxyHAProxy} {
		top := seedTopology()
		top.Proxy.Kind = kind
		if err := CheckDocker(top); err != nil {
			t.Errorf("CheckDocker with kind %s: got %v, want nil", kind, err)
		}
		k := For(kind)
		if k.Image != ImageProducts {
			t.Errorf("%s: image %q, want %q", kind, k.Image, ImageProducts)
		}
		cmd := k.Command("/lab/"+k.File, false)
		if len(cmd) == 0 || cmd[0] != k.Binary {
			t.Errorf("%s: command %q, want it to start with %s", kind, cmd, k.Binary)
		}
	}
	own := For(vocab.ProxyNginx).Command("/lab/nginx.conf", true)
	if got := strings.Join(own[len(own)-2:], " "); got != "-g daemon off;" {
		t.Errorf("nginx with its own config: got %q, want it to end with -g \"daemon off;\"", own)
	}
	if got := strings.Join(For(vocab.ProxyBuiltin).Command("/proxy.yaml", false), " "); got != "serve failover-proxy -config /proxy.yaml" {
		t.Errorf("builtin: got %q, want the lab image's serve failover-proxy and its flags", got)
	}
}

// A missing binary names the package to install.
func TestSystemBinaryMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := SystemBinary("no-such-proxy-binary", "no-such-package")
	if !errors.Is(err, ErrNotInstalled) || !strings.Contains(err.Error(), "apt-get install no-such-package") {
		t.Fatalf("got %v, want ErrNotInstalled naming apt-get install no-such-package", err)
	}
}

// Every kind the vocabulary names has a renderer, and no other.
func TestEveryKindRenders(t *testing.T) {
	for _, k := range vocab.ProxyKinds {
		if _, ok := registry[k]; !ok {
			t.Errorf("vocab kind %s: no renderer in registry", k)
		}
	}
	if got, want := len(registry), len(vocab.ProxyKinds); got != want {
		t.Errorf("got %d renderers, want %d (vocab.ProxyKinds)", got, want)
	}
}
