package member

// Health is what checks and traffic say about a member.
type Health int32

const (
	Up    Health = iota // serving
	Down                // failed its active checks
	Error               // passive error state: hold-down, then a probe decides
)

func (h Health) String() string {
	switch h {
	case Up:
		return "up"
	case Down:
		return "down"
	case Error:
		return "error"
	}
	return "unknown"
}

// Admin is what the operator asked for.
type Admin int32

const (
	Active   Admin = iota // takes traffic when healthy
	Draining              // no new requests; in-flight ones finish
	Disabled              // no requests at all
)

func (a Admin) String() string {
	switch a {
	case Active:
		return "active"
	case Draining:
		return "draining"
	case Disabled:
		return "disabled"
	}
	return "unknown"
}

// Status combines admin and health the way an operator reads them:
// "disabled" and "draining" win over the health state.
func Status(a Admin, h Health) string {
	if a != Active {
		return a.String()
	}
	return h.String()
}
