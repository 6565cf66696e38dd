// Command failover-proxy is a reverse proxy that fails over to standby
// members without letting the failing request reach the client. Its
// command line is package proxy/cli (the lab carries it too).
//
//	failover-proxy -config proxy.yaml           run from a file
//	failover-proxy -check proxy.yaml            validate, exit 1 on error
//	failover-proxy -listen 127.0.0.1:8080 -primary http://127.0.0.1:9001 -standby http://127.0.0.1:9002
//	failover-proxy healthcheck URL              container health check
//	failover-proxy version                      module version, commit, Go version
package main

import (
	"os"

	"github.com/failover-lab/failover-lab/proxy/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr)) }
