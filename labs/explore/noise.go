package explore

// Repeat is the rule that tells a failure from noise: a candidate counts
// as failing when run fails in k of at most m tries. It stops as soon as
// the verdict is settled (k failures, or m-k+1 passes), so a candidate
// that fails every time costs k runs and one that never fails m-k+1.
//
// explore confirms a violation with k=1, m=2 after the run that found it
// (2 of 3 in all), and judges each shrinking candidate with k=2, m=2: it
// must fail twice in a row, and its first pass rejects it. One run of a
// loaded 2-core machine may miss a deadline by chance; two in a row rarely
// do (p² for a noise rate p), while a failure the proxy always shows costs
// two runs to accept and one to reject. A failure that shows in fewer
// runs is still reported, with its original timeline, and shrinks less.
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
