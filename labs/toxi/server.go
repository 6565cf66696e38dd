package toxi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	toxiserver "github.com/Shopify/toxiproxy/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
	zlog "github.com/rs/zerolog/log"
)

// quietToxics silences Toxiproxy's toxics, which log every interrupted
// write at trace level on zerolog's global logger (stderr). Nothing else in
// this module logs through zerolog.
var quietToxics = sync.OnceFunc(func() { zlog.Logger = zerolog.Nop() })

// Server is an in-process Toxiproxy (process driver): its API on a
// free 127.0.0.1 port, its links on free 127.0.0.1 ports.
type Server struct {
	api  *toxiserver.ApiServer
	http *http.Server
	URL  string // the API, http://127.0.0.1:PORT
	done chan struct{}
}

func StartServer() (*Server, error) {
	quietToxics()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("toxiproxy listen: %w", err)
	}
	metrics := toxiserver.NewMetricsContainer(prometheus.NewRegistry())
	api := toxiserver.NewServer(metrics, zerolog.Nop())
	s := &Server{
		api:  api,
		http: &http.Server{Handler: api.Routes(), ReadHeaderTimeout: 5 * time.Second},
		URL:  "http://" + ln.Addr().String(),
		done: make(chan struct{}),
	}
	go func() {
		defer close(s.done)
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			api.Logger.Error().Err(err).Msg("toxiproxy api")
		}
	}()
	return s, nil
}

// Close stops the API and every link (closing their connections).
func (s *Server) Close(ctx context.Context) error {
	err := s.http.Shutdown(ctx)
	<-s.done
	if cerr := s.api.Collection.Clear(); cerr != nil && err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("toxiproxy close: %w", err)
	}
	return nil
}
