package config

import (
	"bytes"
	"embed"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"sort"
	"strings"
	"time"
)

// SchemaFile is where the repository keeps the generated JSON Schema of a
// config file, relative to the module root; docs/schema_test.go keeps it
// up to date (go test ./docs -run SchemaFiles -update).
const SchemaFile = "proxy/config.schema.json"

// DurationPattern is what the parsers accept as a duration, written as a
// YAML string: time.ParseDuration's syntax without a sign, "0" included.
const DurationPattern = `^(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$`

// sources are this package's files: the field doc comments are the
// schema's descriptions, so the two cannot disagree.
//
//go:embed *.go
var sources embed.FS

// enums lists the allowed values of string fields, as Validate checks them.
var enums = map[string][]string{
	"Pool.Policy": {PolicyRoundRobin, PolicyLeastRequests},
	"Log.Format":  {"text", "json"},
	"Log.Level":   {"debug", "info", "warn", "error"},
}

// Schema returns the JSON Schema (draft-07) of a config file, generated
// from the types: yaml tags name the keys, doc comments describe them
// ("Required." makes a key required, "At least one is required." a list
// or mapping non-empty), Default and DefaultPool give the defaults.
func Schema() map[string]any {
	s := newSchemaGen().of(reflect.TypeFor[Config](), reflect.ValueOf(Default()))
	s["$schema"] = "http://json-schema.org/draft-07/schema#"
	s["$id"] = "https://github.com/failover-lab/failover-lab/" + SchemaFile
	s["title"] = "failover-proxy configuration"
	return s
}

// PoolKeySchema is the schema of one key of a pool (health, retry, ...),
// for the scenario schema, whose proxy section holds pool settings.
func PoolKeySchema(key string) (map[string]any, bool) {
	s := newSchemaGen().of(reflect.TypeFor[Pool](), reflect.ValueOf(DefaultPool()))
	p, ok := s["properties"].(map[string]any)[key].(map[string]any)
	return p, ok
}

// SchemaJSON is Schema as indented JSON with a final newline.
func SchemaJSON() []byte { return MarshalSchema(Schema()) }

// MarshalSchema writes a schema as indented JSON with a final newline.
func MarshalSchema(s map[string]any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(s) // maps of strings, numbers, bools and slices always encode
	return b.Bytes()
}

// elemDefaults are the values a new element of a list or mapping starts
// from (what UnmarshalYAML pre-fills).
var elemDefaults = map[reflect.Type]func() reflect.Value{
	reflect.TypeFor[Pool]():   func() reflect.Value { return reflect.ValueOf(DefaultPool()) },
	reflect.TypeFor[Member](): func() reflect.Value { return reflect.ValueOf(Member{Weight: 1}) },
}

type schemaGen struct{ docs map[string]string } // "Type.Field" → doc comment

func newSchemaGen() schemaGen {
	g := schemaGen{docs: map[string]string{}}
	files, _ := sources.ReadDir(".")
	fset := token.NewFileSet()
	for _, e := range files {
		if strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		src, _ := sources.ReadFile(e.Name())
		f, err := parser.ParseFile(fset, e.Name(), src, parser.ParseComments)
		if err != nil {
			continue // the package compiled, so this does not happen
		}
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok {
				return true
			}
			if st, ok := ts.Type.(*ast.StructType); ok {
				for _, fl := range st.Fields.List {
					for _, name := range fl.Names {
						g.docs[ts.Name.Name+"."+name.Name] = strings.Join(strings.Fields(fl.Doc.Text()), " ")
					}
				}
			}
			return false
		})
	}
	return g
}

var (
	sizeType = reflect.TypeFor[Size]()
	tierType = reflect.TypeFor[Tier]()
)

// of is the schema of type t; def is its default value (invalid: none).
func (g schemaGen) of(t reflect.Type, def reflect.Value) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for def.IsValid() && def.Kind() == reflect.Pointer {
		def = def.Elem()
	}
	switch t {
	case reflect.TypeFor[time.Duration]():
		return map[string]any{"type": "string", "pattern": DurationPattern, "examples": []string{"100ms", "1.5s", "5s"}}
	case sizeType:
		return map[string]any{"anyOf": []any{
			map[string]any{"type": "integer", "minimum": 0},
			map[string]any{"type": "string", "pattern": `^\s*[0-9]+\s*(KiB|MiB|GiB|kB|KB|MB|GB|B)?\s*$`},
		}, "examples": []string{"64KiB", "1MiB"}}
	case tierType:
		return map[string]any{"anyOf": []any{
			map[string]any{"enum": []string{"primary", "standby"}},
			map[string]any{"type": "integer", "minimum": 0},
		}}
	}
	switch t.Kind() {
	case reflect.Struct:
		return g.object(t, def)
	case reflect.Slice:
		return map[string]any{"type": "array", "items": g.of(t.Elem(), elemDefault(t.Elem()))}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.of(t.Elem(), elemDefault(t.Elem())),
			"propertyNames": map[string]any{"pattern": "^[A-Za-z0-9_-]+$"}}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64:
		return map[string]any{"type": "integer"}
	case reflect.Float64:
		return map[string]any{"type": "number"}
	}
	return map[string]any{}
}

func elemDefault(t reflect.Type) reflect.Value {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if f, ok := elemDefaults[t]; ok {
		return f()
	}
	return reflect.Value{}
}

func (g schemaGen) object(t reflect.Type, def reflect.Value) map[string]any {
	props := map[string]any{}
	var required []string
	for i := range t.NumField() {
		f := t.Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || key == "-" || key == "" {
			continue
		}
		var fdef reflect.Value
		if def.IsValid() {
			fdef = def.Field(i)
		}
		p := g.of(f.Type, fdef)
		doc := g.docs[t.Name()+"."+f.Name]
		if doc != "" {
			p["description"] = doc
		}
		if e, ok := enums[t.Name()+"."+f.Name]; ok {
			p["enum"] = e
		}
		if fdef.IsValid() && !fdef.IsZero() && fdef.Kind() != reflect.Struct {
			p["default"] = defaultJSON(fdef)
		}
		switch {
		case strings.Contains(doc, "At least one is required."):
			p["min"+map[bool]string{true: "Items", false: "Properties"}[f.Type.Kind() == reflect.Slice]] = 1
			required = append(required, key)
		case strings.Contains(doc, "Required."):
			required = append(required, key)
		}
		props[key] = p
	}
	s := map[string]any{"type": "object", "additionalProperties": false, "properties": props}
	if len(required) > 0 {
		sort.Strings(required)
		s["required"] = required
	}
	return s
}

// defaultJSON writes a default as a file would: "5s", "64KiB", "primary".
func defaultJSON(v reflect.Value) any {
	switch x := v.Interface().(type) {
	case time.Duration, Size, Tier:
		return x.(interface{ String() string }).String()
	}
	if v.Kind() == reflect.Slice {
		out := make([]any, v.Len())
		for i := range out {
			out[i] = defaultJSON(v.Index(i))
		}
		return out
	}
	return v.Interface()
}
