package docs

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

// command is one simple command that a doc shows in a code block: a
// line (continuations joined) of a ```sh block, or a "$ " line of an
// output block.
type command struct {
	file string   // README.md, docs/x.md
	line int      // in file
	env  []string // NAME=value before the program
	args []string // args[0] is the program; a word that is not a literal ($X, $(...)) is dynamic
	text string   // as written
	// shown is the output an output block shows under the command, up to
	// the next "$ " line; "" in a ```sh block.
	shown string
}

// dynamic stands for a word whose value the shell computes.
const dynamic = "\x00dynamic"

func (c command) String() string { return fmt.Sprintf("%s:%d: %s", c.file, c.line, c.text) }

// docFiles are README.md and docs/*.md, relative to the module root.
func docFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	out := []string{"README.md"}
	for _, f := range files {
		rel, err := filepath.Rel(root, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rel)
	}
	return out
}

var (
	codeBlock = regexp.MustCompile("(?ms)^```([A-Za-z]*)[^\n]*\n(.*?)^```")
	// shellFences hold commands only; output fences ("", console, text)
	// hold commands on their "$ " lines.
	shellFences  = map[string]bool{"sh": true, "bash": true, "shell": true}
	outputFences = map[string]bool{"": true, "console": true, "text": true}
)

// docCommands returns every command of every code block of file.
func docCommands(t *testing.T, file string) []command {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, file))
	if err != nil {
		t.Fatal(err)
	}
	var out []command
	for _, m := range codeBlock.FindAllSubmatchIndex(b, -1) {
		lang, body := string(b[m[2]:m[3]]), string(b[m[4]:m[5]])
		first := bytes.Count(b[:m[4]], []byte("\n")) + 1 // line of the block's first line
		switch {
		case shellFences[lang]:
			cmds, err := parseShell(file, first, body)
			if err != nil {
				t.Errorf("%s:%d: not a shell block the shell can parse: %v", file, first, err)
			}
			out = append(out, cmds...)
		case outputFences[lang]:
			lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
			for i, line := range lines {
				rest, ok := strings.CutPrefix(line, "$ ")
				if !ok {
					continue
				}
				cmds, err := parseShell(file, first+i, rest)
				if err != nil {
					t.Errorf("%s:%d: not a command the shell can parse: %v", file, first+i, err)
				}
				var shown []string
				for _, l := range lines[i+1:] {
					if strings.HasPrefix(l, "$ ") {
						break
					}
					shown = append(shown, l)
				}
				for j := range cmds {
					cmds[j].shown = strings.Join(shown, "\n")
				}
				out = append(out, cmds...)
			}
		}
	}
	return out
}

// parseShell returns the simple commands of src, whose first line is line
// first of file: every command of a pipeline, a list, a background job, a
// sudo's command, but not the words inside $(...), which are values.
func parseShell(file string, first int, src string) ([]command, error) {
	f, err := syntax.NewParser().Parse(strings.NewReader(src), file)
	if err != nil {
		return nil, err
	}
	var out []command
	printer := syntax.NewPrinter(syntax.Minify(false))
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.CmdSubst, *syntax.ProcSubst:
			return false
		case *syntax.CallExpr:
			if len(n.Args) == 0 {
				return true // a bare assignment
			}
			c := command{file: file, line: first + int(n.Pos().Line()) - 1}
			for _, a := range n.Assigns {
				v := ""
				if a.Value != nil {
					v, _ = literal(a.Value)
				}
				c.env = append(c.env, a.Name.Value+"="+v)
			}
			for _, w := range n.Args {
				s, ok := literal(w)
				if !ok {
					s = dynamic
				}
				c.args = append(c.args, s)
			}
			var b strings.Builder
			printer.Print(&b, n)
			c.text = b.String()
			out = append(out, c)
		}
		return true
	})
	return out, nil
}

// literal is w's value when the shell would not compute it: plain,
// single- and double-quoted text.
func literal(w *syntax.Word) (string, bool) {
	var b strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(unescape(p.Value))
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				l, ok := q.(*syntax.Lit)
				if !ok {
					return "", false
				}
				b.WriteString(l.Value)
			}
		default:
			return "", false
		}
	}
	return b.String(), true
}

// unescape drops the backslashes of an unquoted word (\; → ;).
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
