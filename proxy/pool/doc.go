// Package pool groups members into ordered tiers and picks one per attempt.
//
// Pick looks at the tiers in order (primary 0, standby 1, then higher
// numbers) and hands the usable members of the first tier that has any,
// minus those this request already tried, to the pool's Selector. So a
// standby gets traffic only when no primary is usable, standbys are
// balanced among themselves, and a retry goes to the next usable member
// whatever its tier.
//
// A Budget caps retries at a fraction of the requests over a sliding
// second, so a sick pool does not double its own load.
package pool
