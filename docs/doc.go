// Package docs holds no code: its tests keep the documentation true.
// Every example config and scenario in README.md and docs/*.md (and every
// scenarios/*.yaml) must pass its JSON Schema and its parser, and the
// command examples that run offline are run against the real binaries.
package docs
