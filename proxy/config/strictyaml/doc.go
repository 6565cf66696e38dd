// Package strictyaml checks a YAML document against a Go type before it is
// decoded, and reports every problem at once with its place:
//
//	file ──yaml.Unmarshal──▶ yaml.Node tree ──Check(tree, type)──▶ Errors (file:line:col: path: problem)
//	                                              │
//	                                              └──▶ Positions: field path → line:col, for later
//	                                                   validation errors ("pools.web.health.interval")
//
// Unknown keys (with a did-you-mean), keys set twice and badly typed
// values are found here; yaml.v3 then decodes a tree known to fit, and the
// caller's own Validate names fields by path, which Positions locates.
//
// The proxy's configuration (proxy/config) and the lab's scenario files
// (labs/scenario) both use it, so both report the same way and wrap the same
// sentinels. It lives under proxy/config because it is a leaf (it imports
// only yaml.v3) that the proxy must be able to import without the lab.
package strictyaml
