package load_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/failover-lab/failover-lab/labs/ledger"
	"github.com/failover-lab/failover-lab/labs/load"
)

func ExampleRun() {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Served-By", "service")
	}))
	defer backend.Close()

	l := ledger.New(time.Now())
	err := load.Run(context.Background(), load.Spec{Target: backend.URL, Rate: 50, Duration: 200 * time.Millisecond}, l)
	if err != nil {
		fmt.Println(err)
		return
	}
	served := map[string]int{}
	for _, r := range l.Rows() {
		served[fmt.Sprintf("%d from %s", r.Status, r.ServedBy)]++
	}
	fmt.Println(len(served), "kind of answer:", len(l.Rows()) == served["200 from service"])

	err = load.Run(context.Background(), load.Spec{Target: "http://192.0.2.1:80", Rate: 50}, l)
	fmt.Println(err)
	// Output:
	// 1 kind of answer: true
	// load: target "http://192.0.2.1:80": only http://127.0.0.1, the Docker engine's address or the run's own network are allowed targets (the lab never sends load elsewhere)
}
