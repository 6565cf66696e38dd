package products

import (
	"bytes"
	"fmt"
	"github.com/failover-lab/failover-lab/labs/vocab"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// What the renderers of the other proxies share: the pool as failover-proxy
// would run it (defaults applied, validated), its members in tier order,
// and a writer that puts the reason above every directive.

// member is one pool member as a third-party config needs it.
type member struct {
	name    string
	addr    string // host:port
	standby bool   // tier > primary
	weight  int
}

// resolvedPool is the topology's pool with failover-proxy's defaults
// applied and validated, exactly as proxyConfig would run it, and its
// members in tier order (primaries first, topology order within a tier).
func resolvedPool(t vocab.Topology, memberURL func(vocab.Node) string) (config.Pool, []member, error) {
	var cfg config.Config
	if err := poolConfig(t, memberURL, &cfg); err != nil {
		return config.Pool{}, nil, err
	}
	p := *cfg.Pools[vocab.PoolName]
	var primaries, standbys []member
	for _, m := range p.Members {
		u, err := url.Parse(m.URL)
		if err != nil || u.Host == "" {
			return config.Pool{}, nil, fmt.Errorf("proxy config: member %s: bad url %q", m.Name, m.URL)
		}
		mm := member{name: m.Name, addr: u.Host, standby: m.Tier > config.Primary, weight: m.Weight}
		if mm.standby {
			standbys = append(standbys, mm)
		} else {
			primaries = append(primaries, mm)
		}
	}
	return p, append(primaries, standbys...), nil
}

// poolConfig builds and validates the failover-proxy config of t into cfg:
// its one pool, the nodes as members in topology order at memberURL, the
// proxy's defaults applied. proxyConfig adds the listeners and marshals it.
func poolConfig(t vocab.Topology, memberURL func(vocab.Node) string, cfg *config.Config) error {
	pool := t.Proxy.Pool
	pool.Members = make([]config.Member, 0, len(t.Nodes))
	for _, n := range t.Nodes {
		tier := config.Primary
		if n.Role == vocab.RoleStandby {
			tier = config.Standby
		}
		pool.Members = append(pool.Members, config.Member{Name: n.Name, URL: memberURL(n), Tier: tier, Weight: n.Weight})
	}
	*cfg = *config.Default()
	cfg.Pools = map[string]*config.Pool{vocab.PoolName: &pool}
	cfg.ApplyDefaults()
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("proxy config: %w", err)
	}
	return nil
}

// conf writes a config file where every directive has its reason on the
// line above (Apache allows comments only on lines of their own; nginx and
// HAProxy read the same layout).
type conf struct {
	b      bytes.Buffer
	indent string
}

// d writes one directive with its reason.
func (c *conf) d(directive, why string, args ...any) {
	for line := range strings.SplitSeq(why, "\n") {
		fmt.Fprintf(&c.b, "%s# %s\n", c.indent, line)
	}
	fmt.Fprintf(&c.b, "%s%s\n", c.indent, fmt.Sprintf(directive, args...))
}

// note writes a comment alone: what the product cannot do, for the reader.
func (c *conf) note(text string) {
	for line := range strings.SplitSeq(text, "\n") {
		fmt.Fprintf(&c.b, "%s# %s\n", c.indent, line)
	}
}

// open starts a block (written as given) and indents what follows.
func (c *conf) open(block, why string) {
	c.d(block, why)
	c.indent += "  "
}

// close ends a block.
func (c *conf) close(end string) {
	c.indent = strings.TrimSuffix(c.indent, "  ")
	fmt.Fprintf(&c.b, "%s%s\n", c.indent, end)
}

func (c *conf) blank() { c.b.WriteByte('\n') }

func (c *conf) bytes() []byte { return c.b.Bytes() }

// ms formats d for nginx and HAProxy: whole seconds as "5s", else "300ms".
func ms(d time.Duration) string {
	if d%time.Second == 0 {
		return fmt.Sprintf("%ds", d/time.Second)
	}
	return fmt.Sprintf("%dms", d.Milliseconds())
}

// ceilSeconds is d in whole seconds, rounded up, at least 1: Apache's
// retry and hcinterval count whole seconds, and 0 would mean "no wait".
func ceilSeconds(d time.Duration) int64 {
	return max(1, int64((d+time.Second-1)/time.Second))
}

// SystemBinary finds a proxy installed by its Debian package: on PATH, or
// in /usr/sbin (not on an ordinary user's PATH).
func SystemBinary(name, pkg string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	p := filepath.Join("/usr/sbin", name)
	if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
		return p, nil
	}
	return "", fmt.Errorf("%w: apt-get install %s", ErrNotInstalled, pkg)
}

// failuresToEject is how many consecutive live failures take a member out
// in the products. failover-proxy's first passive failure makes the member
// suspect and probes it at once, ejecting it when the probe fails; nginx
// and HAProxy have no probe on error, so their closest match is to count
// the first failure (as the seed story's Apache does). passive.failures,
// failover-proxy's threshold for ejecting without a probe's word, has no
// equivalent in them.
const failuresToEject = 1
