package proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/failover-lab/failover-lab/proxy/member"
)

// realError sends one GET through a fresh transport to a server that
// behaves as handler (nil: nothing listens) and returns the error.
func realError(t *testing.T, handler http.HandlerFunc) error {
	t.Helper()
	url := "http://127.0.0.1:1"
	if handler != nil {
		srv := httptest.NewServer(handler)
		t.Cleanup(srv.Close)
		url = srv.URL
	} else {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		url = "http://" + ln.Addr().String()
		ln.Close() // nothing listens there now: refused
	}
	tr := &http.Transport{ResponseHeaderTimeout: 100 * time.Millisecond}
	defer tr.CloseIdleConnections()
	req, _ := http.NewRequest("GET", url, nil)
	resp, err := tr.RoundTrip(req)
	if err == nil {
		resp.Body.Close()
		t.Fatal("want an error, got a response")
	}
	return err
}

func TestClassify(t *testing.T) {
	bg := context.Background()
	gone, cancelGone := context.WithCancel(bg)
	cancelGone()
	rescued, cancelRescued := context.WithCancelCause(bg)
	cancelRescued(member.ErrRescued)
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) })
	tests := []struct {
		name            string
		err             error
		client, attempt context.Context
		want            Class
		blames          bool
	}{
		{"refused connection", realError(t, nil), bg, bg, ClassDial, true},
		{"reset before headers", realError(t, func(w http.ResponseWriter, r *http.Request) {
			c, _, _ := http.NewResponseController(w).Hijack()
			c.(*net.TCPConn).SetLinger(0) // RST, not FIN
			c.Close()
		}), bg, bg, ClassMemberReset, true},
		{"closed before headers", realError(t, func(w http.ResponseWriter, r *http.Request) {
			c, _, _ := http.NewResponseController(w).Hijack()
			c.Close()
		}), bg, bg, ClassMemberReset, true},
		{"no headers in time", realError(t, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-hang:
			case <-r.Context().Done():
			}
		}), bg, bg, ClassMemberTimeout, true},
		{"client body broke", &clientBodyError{io.ErrUnexpectedEOF}, bg, bg, ClassClientBody, false},
		{"client body, wrapped by the transport", fmt.Errorf("write: %w", &clientBodyError{io.ErrUnexpectedEOF}), bg, bg, ClassClientBody, false},
		{"client body unreadable while buffering", fmt.Errorf("%w: boom", errBadBody), bg, bg, ClassClientBody, false},
		{"client went away", context.Canceled, gone, gone, ClassClientGone, false},
		{"member ejected while waiting", context.Canceled, bg, rescued, ClassCanceled, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classify(tt.err, tt.client, tt.attempt)
			if got != tt.want {
				t.Errorf("classify(%v): got %v, want %v", tt.err, got, tt.want)
			}
			if got.Blames() != tt.blames {
				t.Errorf("%v.Blames(): got %v, want %v", got, got.Blames(), tt.blames)
			}
		})
	}
}

func TestClientBodyTagsOnlyErrors(t *testing.T) {
	b := clientBody{io.NopCloser(errReader{})}
	if _, err := b.Read(make([]byte, 1)); !errors.As(err, new(*clientBodyError)) {
		t.Errorf("read error: got %v, want a clientBodyError", err)
	}
	eof := clientBody{http.NoBody}
	if _, err := eof.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("EOF: got %v, want io.EOF untouched", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("malformed chunked encoding") }
