package explore

// Repeat is the rule that tells a failure from noise: a candidate counts
// as failing when run fails in k of at most m tries. It stops as soon as
// the verdict is settled (k failures, or m-k+1 passes), so a candidate
// that fails every time costs k runs and one that never fails m-k+1.
//
// explore uses k=2, m=3: one run of a loaded 2-core machine may miss a
// deadline by chance, two of three rarely do, and a real failure that
// shows in most runs still shrinks; a failure that shows once in three is
// reported with its original timeline but not shrunk past what keeps it.
func Repeat(run func(Plan) bool, k, m int) Oracle {
	return func(p Plan) bool {
		failed, passed := 0, 0
		for failed < k && passed < m-k+1 {
			if run(p) {
				failed++
			} else {
				passed++
			}
		}
		return failed >= k
	}
}
