// Package docs holds no code: its tests keep the documentation true.
// Every example config and scenario in README.md and docs/*.md (and every
// scenarios/*.yaml) must pass its JSON Schema and its parser; every
// command the docs show in a code block is run, or checked as far as it
// can be without running it (TestDocCommands, programs_test.go says which
// and why); every relative link resolves; the rendered product configs
// are what labs/products renders.
package docs
