// Command service is the project's own web service, as small as a service
// gets: a page, a health check, and a header naming the instance that
// answered (X-Served-By), which is how failover-lab tells who served each
// request.
//
//	service -name service -listen :8080
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	listen := flag.String("listen", ":8080", "address to serve HTTP on")
	name := flag.String("name", hostname(), "this instance's name, sent as X-Served-By")
	flag.Parse()
	srv := &http.Server{Addr: *listen, Handler: handler(*name), ReadHeaderTimeout: 5 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	log.Printf("service %s on %s", *name, *listen)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// handler serves /healthz and a page on every other path.
func handler(name string) http.Handler {
	var served atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Served-By", name)
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Served-By", name)
		fmt.Fprintf(w, "hello from %s: request %d, %s %s\n", name, served.Add(1), r.Method, r.URL.Path)
	})
	return mux
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil {
		return "service"
	}
	return h
}
