package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/failover-lab/failover-lab/proxy/config"
)

// options are the command-line flags. Quick-start flags build a one-pool
// config with the file's defaults; -admin, -admin-token, -access-log and
// -log-format also override a file.
type options struct {
	configFile, check string

	listen, primary, standby string
	healthPath               string
	healthInterval           time.Duration
	admin, adminToken        string
	accessLog                bool
	logFormat                string
}

func (o *options) register(fs *flag.FlagSet) {
	d := config.DefaultPool()
	fs.StringVar(&o.configFile, "config", "", "run from this YAML `file`")
	fs.StringVar(&o.check, "check", "", "validate this YAML `file` and exit (1 on error)")
	fs.StringVar(&o.listen, "listen", config.DefaultListen, "quick start: traffic listen `address`")
	fs.StringVar(&o.primary, "primary", "", "quick start: primary member `URLs`, comma-separated")
	fs.StringVar(&o.standby, "standby", "", "quick start: standby member `URLs`, comma-separated")
	fs.StringVar(&o.healthPath, "health-path", d.Health.Path, "quick start: health check `path`")
	fs.DurationVar(&o.healthInterval, "health-interval", d.Health.Interval, "quick start: health check interval")
	fs.StringVar(&o.admin, "admin", config.DefaultAdminListen, "admin listen `address` (\"off\" to disable)")
	fs.StringVar(&o.adminToken, "admin-token", "", "admin token required on changing requests (env FAILOVER_PROXY_ADMIN_TOKEN)")
	fs.BoolVar(&o.accessLog, "access-log", false, "log one line per request")
	fs.StringVar(&o.logFormat, "log-format", "text", "log `format`: text or json")
}

// load returns the validated config from the file or the quick-start flags.
func (o *options) load(fs *flag.FlagSet) (*config.Config, error) {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if o.adminToken == "" {
		o.adminToken = os.Getenv("FAILOVER_PROXY_ADMIN_TOKEN")
	}
	var cfg *config.Config
	switch {
	case o.configFile != "" && (o.primary != "" || o.standby != ""):
		return nil, errors.New("use either -config or -primary/-standby, not both")
	case o.configFile != "":
		c, err := config.Load(o.configFile)
		if err != nil {
			return nil, err
		}
		cfg = c
	case o.primary != "":
		cfg = o.quickStart()
	default:
		return nil, errors.New("nothing to proxy: give -config FILE or -primary URL (see -help)")
	}
	o.override(cfg, set)
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("invalid configuration:\n%w", err)
	}
	return cfg, nil
}

// override applies the flags that also act on a file, when given.
func (o *options) override(cfg *config.Config, set map[string]bool) {
	if set["admin"] {
		cfg.Admin.Listen = o.admin
	}
	if o.adminToken != "" {
		cfg.Admin.Token = o.adminToken
	}
	if set["access-log"] {
		cfg.Log.Access = o.accessLog
	}
	if set["log-format"] {
		cfg.Log.Format = o.logFormat
	}
}

func (o *options) quickStart() *config.Config {
	cfg := config.Default()
	cfg.Listen = []string{o.listen}
	cfg.Admin.Listen = o.admin
	p := config.DefaultPool()
	p.Health.Path = o.healthPath
	p.Health.Interval = o.healthInterval
	add := func(list string, tier config.Tier) {
		for _, u := range strings.Split(list, ",") {
			if u = strings.TrimSpace(u); u != "" {
				p.Members = append(p.Members, config.Member{URL: u, Tier: tier, Weight: 1})
			}
		}
	}
	add(o.primary, config.Primary)
	add(o.standby, config.Standby)
	cfg.Pools = map[string]*config.Pool{"default": &p}
	cfg.ApplyDefaults()
	return cfg
}
