package main

import (
	"fmt"
	"time"
)

type stream = struct {
	rate int
	send sender
}

// seed: the primary answers 500 on every path at 3 s, is fixed after broken.
func seed(s setup, broken time.Duration) error {
	var fixAt time.Time
	rows, err := drive(3*time.Second+broken+5*time.Second, []event{
		{3 * time.Second, func() error { return control("POST", s.ctl, `{"kind":"status","status":500}`) }},
		{3*time.Second + broken, func() error { fixAt = time.Now(); return control("DELETE", s.ctl, "") }},
	}, stream{50, getter(s.px+"/cart", 5*time.Second)})
	if err != nil {
		return err
	}
	summary("GET /cart at 50/s", rows[0])
	var back time.Time
	for _, r := range rows[0] {
		if r.sent.After(fixAt) && r.by == "service" && (back.IsZero() || r.sent.Before(back)) {
			back = r.sent
		}
	}
	fmt.Printf("failback: first request served by service %s after the fix\n", back.Sub(fixAt).Round(time.Millisecond))
	return nil
}

// abuse: 50 GET/s of normal traffic plus 2/s of abusive requests, 20 s.
func abuse(s setup, what string, bad sender) error {
	rows, err := drive(20*time.Second, nil,
		stream{50, getter(s.px+"/cart", 5*time.Second)}, stream{2, bad})
	if err != nil {
		return err
	}
	summary("normal GET /cart at 50/s", rows[0])
	summary(what+" at 2/s", rows[1])
	return nil
}

// hung: 20 GET/s with 5 s client timeouts; the primary hangs at 3 s for d.
func hung(s setup, d time.Duration) error {
	var hangAt time.Time
	rows, err := drive(3*time.Second+d+5*time.Second, []event{
		{3 * time.Second, func() error { hangAt = time.Now(); return control("POST", s.ctl, `{"kind":"hang"}`) }},
		{3*time.Second + d, func() error { return control("DELETE", s.ctl, "") }},
	}, stream{20, getter(s.px+"/cart", 5*time.Second)})
	if err != nil {
		return err
	}
	summary(fmt.Sprintf("GET /cart at 20/s, %s hang, 5 s client timeout", d), rows[0])
	var first time.Time
	for _, r := range rows[0] {
		if r.sent.After(hangAt) && r.by == "failover" && (first.IsZero() || r.sent.Before(first)) {
			first = r.sent
		}
	}
	fmt.Printf("first request answered by the standby was sent %s after the hang began\n", first.Sub(hangAt).Round(time.Millisecond))
	return nil
}
