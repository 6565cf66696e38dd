// Package expect judges a finished run: it evaluates a scenario's
// expectations over the run's ledger. Everything here is a pure function of
// the scenario and the ledger, so it is tested with synthetic ledgers.
//
// Time: the ledger mark "start" is zero; a timeline event happened when the
// runtime marked it (a fault's apply mark, a clear's clear mark, or an event
// mark for marks and the end). A request belongs to a window by when it was
// sent.
//
// What counts as what — honest about what the proxy promises:
//
//	client error   a transport error (no answer), or a 5xx answered by the
//	               proxy itself or by a primary: the client saw a failure
//	error page     an answer by a standby node (the error page): the proxy
//	               kept its promise, but the user saw the error page
//	flap           the answering tier changed, primary → standby or back (3 answers in a row)
//
// A window:
//
//	after ─── within ───▶ opens ······· closes at until / after+within+for /
//	                                    the next event / the end
package expect
