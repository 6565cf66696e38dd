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
		i := m.ncodes.Add(1) - 1
		m.codes[i%uint64(len(m.codes))].Store(int32(status))
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

// RecentCodes returns the last status codes, oldest first. Read while
// requests finish, a slot may already hold a code newer than its place.
func (m *Member) RecentCodes() []int {
	n := m.ncodes.Load()
	k := min(n, uint64(len(m.codes)))
	out := make([]int, 0, k)
	for i := n - k; i < n; i++ {
		c := int(m.codes[i%uint64(len(m.codes))].Load())
		if c == 0 { // counted but not yet stored
			continue
		}
		out = append(out, c)
	}
	return out
}
