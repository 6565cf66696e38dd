// Package compose holds the docker compose demo behind `make lab`
// (lab.yml, proxy.yaml) and its end-to-end test, which brings the demo up
// with the real compose tool, breaks the service, fixes it and tears it all
// down. There is no Go API here.
package compose
