// Package config is the proxy's configuration: plain structs with yaml tags,
// loaded as Default → Parse → Validate.
//
// One YAML file describes listeners, routes (path prefix → pool) and pools.
// A pool holds members in tiers (primary = 0, standby = 1, or any number;
// lower tiers serve first) plus its health, passive, retry and timeout
// settings. Every field documents its default; a key that is absent, and for
// most fields a zero value, means "use the default", so a Config built in Go
// and written with yaml.Marshal reads back unchanged.
//
// Parse is strict: unknown keys are errors, and every error names the file,
// line, field path and problem:
//
//	lab.yaml:14: pools.web.members[1].url: scheme must be http or https
//
// Errors wrap the sentinels ErrSyntax, ErrUnknownField, ErrInvalid and
// ErrRequired, so callers can test them with errors.Is.
package config
