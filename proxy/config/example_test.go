package config_test

import (
	"fmt"
	"strings"

	"github.com/failover-lab/failover-lab/proxy/config"
)

func ExampleParse() {
	cfg, err := config.Parse(strings.NewReader(`
pools:
  web:
    members:
      - {name: service,  url: "http://127.0.0.1:9001"}
      - {name: failover, url: "http://127.0.0.1:9002", tier: standby}
`), "lab.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	web := cfg.Pools["web"]
	fmt.Println(cfg.Routes[0].Path, "→", cfg.Routes[0].Pool)
	fmt.Println(web.Members[1].Name, web.Members[1].Tier)
	fmt.Println(web.Health.Interval, web.Health.DownInterval, web.Passive.HoldDown, web.Retry.BodyLimit)
	// Output:
	// / → web
	// failover standby
	// 5s 1s 5s 64KiB
}

func ExampleParse_error() {
	_, err := config.Parse(strings.NewReader(`
pools:
  web:
    members:
      - {url: "http://127.0.0.1:9001"}
      - {url: "ftp://127.0.0.1:9002"}
`), "lab.yaml")
	fmt.Println(err)
	// Output:
	// lab.yaml:6:15: pools.web.members[1].url: scheme must be http or https
}
