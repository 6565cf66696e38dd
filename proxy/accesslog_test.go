package proxy_test

import (
	"net/http"
	"sync"
	"testing"
)

// TestReloadWhileLogging: Apply set Handler.AccessLog while requests read
// it (a data race under -race).
func TestReloadWhileLogging(t *testing.T) {
	b := newBackend(t, "a")
	s, front := newServer(t, testPool(primary(b)), false)
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 20 {
			next := *s.Config()
			next.Log.Access = i%2 == 0
			if err := s.Apply(&next); err != nil {
				t.Errorf("apply: %v", err)
				return
			}
		}
	})
	for range 20 {
		resp, err := http.Get(front.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	wg.Wait()
}
