// Package compose holds the docker compose demo behind `make lab`
// (lab.yml, proxy.yaml) and its end-to-end test, which brings the demo up
// with the real compose tool, runs the seed scenario against it through the
// scenario engine (labs/drivers/compose.Driver attaches to the running containers by
// compose service name), and tears it all down. There is no Go API here.
package compose
