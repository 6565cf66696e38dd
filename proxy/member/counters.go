package member

// Start counts a request attempt sent to the member; call Finish once with
// the status (0 for none) when its response is finished.
func (m *Member) Start() {
	m.inflight.Add(1)
	m.requests.Add(1)
}

// Finish ends an attempt counted by Start.
func (m *Member) Finish(status int) {
	m.inflight.Add(-1)
	if status != 0 {
		m.mu.Lock()
		m.codes[m.ncodes%len(m.codes)] = status
		m.ncodes++
		m.mu.Unlock()
	}
}

// Retried counts a failed attempt of this member that was retried elsewhere.
func (m *Member) Retried() { m.retries.Add(1) }

// InFlight is the number of attempts whose responses are not finished.
func (m *Member) InFlight() int64 { return m.inflight.Load() }

// Requests is the number of attempts ever sent.
func (m *Member) Requests() uint64 { return m.requests.Load() }

// Retries is the number of this member's failures retried elsewhere.
func (m *Member) Retries() uint64 { return m.retries.Load() }

// RecentCodes returns the last status codes, oldest first.
func (m *Member) RecentCodes() []int {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := min(m.ncodes, len(m.codes))
	out := make([]int, 0, k)
	for i := m.ncodes - k; i < m.ncodes; i++ {
		out = append(out, m.codes[i%len(m.codes)])
	}
	return out
}
