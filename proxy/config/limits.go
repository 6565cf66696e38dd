package config

import "time"

// Limits hold slow and oversized clients off the listeners. They apply at
// start; a reload that changes them is logged and takes effect on restart.
type Limits struct {
	// HeaderTimeout bounds reading a request's headers (slowloris).
	// Default 10s.
	HeaderTimeout time.Duration `yaml:"header_timeout"`
	// MaxHeaderBytes bounds a request's header block; larger ones get 431.
	// Default 64KiB (Go's own default is 1MiB).
	MaxHeaderBytes Size `yaml:"max_header_bytes"`
	// BodyTimeout is the grace period for a request body; after it the body
	// must keep arriving at BodyMinRate per second on average, like Apache's
	// mod_reqtimeout "body=20,MinRate=500": each BodyMinRate bytes received
	// extend the deadline by one second. Default 20s.
	BodyTimeout time.Duration `yaml:"body_timeout"`
	// BodyMinRate is that rate in bytes per second; 0 turns the body
	// deadline off. Default 500B.
	BodyMinRate Size `yaml:"body_min_rate"`
	// WriteTimeout bounds each write to a client, not the whole answer: a
	// client that stops reading is cut, a long download or event stream that
	// keeps moving is not. Default 30s.
	WriteTimeout time.Duration `yaml:"write_timeout"`
	// IdleTimeout closes keep-alive connections idle this long. Default 120s.
	IdleTimeout time.Duration `yaml:"idle_timeout"`
	// AdminTimeout bounds reading a whole request and writing a whole answer
	// on the admin listener, whose answers are small. Default 10s.
	AdminTimeout time.Duration `yaml:"admin_timeout"`
}

// DefaultLimits returns the limits' defaults.
func DefaultLimits() Limits {
	return Limits{
		HeaderTimeout:  10 * time.Second,
		MaxHeaderBytes: 64 * KiB,
		BodyTimeout:    20 * time.Second,
		BodyMinRate:    500,
		WriteTimeout:   30 * time.Second,
		IdleTimeout:    120 * time.Second,
		AdminTimeout:   10 * time.Second,
	}
}

func (l *Limits) applyDefaults() {
	d := DefaultLimits()
	setDuration(&l.HeaderTimeout, d.HeaderTimeout)
	if l.MaxHeaderBytes == 0 {
		l.MaxHeaderBytes = d.MaxHeaderBytes
	}
	setDuration(&l.BodyTimeout, d.BodyTimeout)
	setDuration(&l.WriteTimeout, d.WriteTimeout)
	setDuration(&l.IdleTimeout, d.IdleTimeout)
	setDuration(&l.AdminTimeout, d.AdminTimeout)
}

// Bounds of the size limits.
const (
	MinHeaderBytes = 4 * KiB
	MaxHeaderBytes = 16 * MiB
)

func (l Limits) validate(p *problems) {
	inDuration(p, "limits.header_timeout", l.HeaderTimeout)
	inDuration(p, "limits.body_timeout", l.BodyTimeout)
	inDuration(p, "limits.write_timeout", l.WriteTimeout)
	inDuration(p, "limits.idle_timeout", l.IdleTimeout)
	inDuration(p, "limits.admin_timeout", l.AdminTimeout)
	if l.MaxHeaderBytes < MinHeaderBytes || l.MaxHeaderBytes > MaxHeaderBytes {
		p.add(ErrInvalid, "limits.max_header_bytes", "must be %s..%s (got %s)", MinHeaderBytes, MaxHeaderBytes, l.MaxHeaderBytes)
	}
	if l.BodyMinRate < 0 || l.BodyMinRate > GiB {
		p.add(ErrInvalid, "limits.body_min_rate", "must be 0..%s per second (got %s)", GiB, l.BodyMinRate)
	}
}
