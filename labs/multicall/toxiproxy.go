package multicall

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
	zlog "github.com/rs/zerolog/log"
)

const toxiproxyModule = "github.com/Shopify/toxiproxy/v2"

// ToxiproxyVersion is the version of Toxiproxy's module linked in, read
// from the build information ("" when the binary has none, as under go
// test). The library's own toxiproxy.Version is "git" unless its release
// build stamps it.
func ToxiproxyVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, d := range bi.Deps {
		if d.Path == toxiproxyModule {
			if d.Replace != nil {
				d = d.Replace
			}
			return d.Version
		}
	}
	return ""
}

// toxiproxyMain is Toxiproxy's server (its cmd/server, which is a main
// package and cannot be imported) run from the library: the same -host,
// -port and -config flags, logs as JSON lines on stdout, until SIGINT or
// SIGTERM.
func toxiproxyMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("toxiproxy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	host := fs.String("host", "localhost", "host for toxiproxy's API to listen on")
	port := fs.String("port", "8474", "port for toxiproxy's API to listen on")
	config := fs.String("config", "", "JSON file of proxies to create on startup")
	version := fs.Bool("version", false, "print the version")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *version {
		fmt.Fprintf(stdout, "toxiproxy-server version %s\n", ToxiproxyVersion())
		return 0
	}
	logger := zerolog.New(stdout).With().Timestamp().Logger().Level(zerolog.InfoLevel)
	zlog.Logger = logger // the toxics log on zerolog's global logger
	server := toxiproxy.NewServer(toxiproxy.NewMetricsContainer(prometheus.NewRegistry()), logger)
	if *config != "" {
		if _, err := os.Stat(*config); err != nil {
			fmt.Fprintf(stderr, "toxiproxy: -config: %v\n", err)
			return 2
		}
		server.PopulateConfig(*config)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(*host, *port))
	if err != nil {
		fmt.Fprintf(stderr, "toxiproxy: %v\n", err)
		return 1
	}
	srv := &http.Server{Handler: server.Routes(), ReadHeaderTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	logger.Info().Str("version", ToxiproxyVersion()).Str("addr", ln.Addr().String()).Msg("Starting Toxiproxy")
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sig)
	code := 0
	select {
	case <-sig:
	case err := <-served:
		fmt.Fprintf(stderr, "toxiproxy: %v\n", err)
		code = 1
	}
	srv.Close()
	if err := server.Collection.Clear(); err != nil {
		fmt.Fprintf(stderr, "toxiproxy: shutdown: %v\n", err)
	}
	return code
}
