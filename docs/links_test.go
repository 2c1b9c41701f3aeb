// Package docs holds chalc's documentation (the manifest contract, the
// decisions, merge templates) and the test that keeps the repository's
// Markdown links working.
package docs

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"
)

// TestRelativeLinks: every relative link in the repository's *.md files
// names a file or directory that exists, and a #fragment names a heading
// of the Markdown file it points into (as GitHub makes anchors of
// headings). Links with a scheme (https:, mailto:) are not followed.
func TestRelativeLinks(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	files, err := markdownFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no *.md files found")
	}
	anchors := map[string]map[string]bool{} // file → its anchors, read once
	anchorsOf := func(path string) (map[string]bool, error) {
		if a, ok := anchors[path]; ok {
			return a, nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		a := headingAnchors(string(b))
		anchors[path] = a
		return a, nil
	}
	checked := 0
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, file)
		for _, l := range links(string(b)) {
			if hasScheme(l.target) {
				continue
			}
			checked++
			pathPart, frag, _ := strings.Cut(l.target, "#")
			target := file
			if pathPart != "" {
				if strings.HasPrefix(pathPart, "/") { // GitHub: from the repository's root
					target = filepath.Join(root, filepath.FromSlash(pathPart))
				} else {
					target = filepath.Join(filepath.Dir(file), filepath.FromSlash(pathPart))
				}
				if _, err := os.Stat(target); err != nil {
					t.Errorf("%s:%d: link %q: %s does not exist", filepath.ToSlash(rel), l.line, l.target, pathPart)
					continue
				}
			}
			if frag == "" || !strings.HasSuffix(target, ".md") {
				continue
			}
			a, err := anchorsOf(target)
			if err != nil {
				t.Errorf("%s:%d: link %q: %v", filepath.ToSlash(rel), l.line, l.target, err)
				continue
			}
			if !a[strings.ToLower(frag)] {
				t.Errorf("%s:%d: link %q: no heading in %s has the anchor #%s; its anchors: %s",
					filepath.ToSlash(rel), l.line, l.target, filepath.Base(target), frag, sortedKeys(a))
			}
		}
	}
	t.Logf("%d relative links in %d files", checked, len(files))
}

// markdownFiles lists the *.md files under root, less .git and other
// hidden directories and what builds write (bin/, out/, node_modules/).
func markdownFiles(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root {
			name := d.Name()
			if strings.HasPrefix(name, ".") || name == "node_modules" ||
				(filepath.Dir(path) == root && (name == "bin" || name == "out")) {
				return filepath.SkipDir
			}
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".md") {
			files = append(files, path)
		}
		return nil
	})
	return files, err
}

type link struct {
	target string
	line   int
}

var (
	// [text](target) and ![alt](target "title"); the text may hold
	// brackets one level deep ([`a[0]`](x)).
	inlineLink = regexp.MustCompile(`!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^\s)>]+)>?(?:\s+"[^"]*")?\s*\)`)
	// [label]: target
	refDefinition = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)`)
	codeSpan      = regexp.MustCompile("`+[^`]*`+")
	scheme        = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)
)

// links returns the link targets of a Markdown text, outside fenced code
// blocks and code spans, with their lines.
func links(text string) []link {
	var out []link
	for i, line := range proseLines(text) {
		if line == "" {
			continue
		}
		line = codeSpan.ReplaceAllString(line, "")
		for _, m := range inlineLink.FindAllStringSubmatch(line, -1) {
			out = append(out, link{target: m[1], line: i + 1})
		}
		if m := refDefinition.FindStringSubmatch(line); m != nil {
			out = append(out, link{target: m[1], line: i + 1})
		}
	}
	return out
}

// proseLines is text's lines with those of fenced code blocks (and the
// fences) blanked, so that line numbers stay.
func proseLines(text string) []string {
	lines := strings.Split(text, "\n")
	fence := ""
	for i, line := range lines {
		trimmed := strings.TrimLeft(line, " ")
		switch {
		case fence != "":
			if strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == "" {
				fence = ""
			}
			lines[i] = ""
		case strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~"):
			fence = trimmed[:3]
			for strings.HasPrefix(trimmed[len(fence):], fence[:1]) {
				fence += fence[:1]
			}
			lines[i] = ""
		}
	}
	return lines
}

func hasScheme(target string) bool {
	return scheme.MatchString(target) || strings.HasPrefix(target, "//")
}

var (
	atxHeading = regexp.MustCompile(`^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$`)
	htmlAnchor = regexp.MustCompile(`<a\s+(?:name|id)="([^"]+)"`)
	linkText   = regexp.MustCompile(`!?\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\([^)]*\)`)
)

// headingAnchors are the anchors GitHub gives a Markdown file's headings
// (lower case; letters, digits, "-" and "_" kept, spaces made "-", the
// rest dropped; a repeated one gets -1, -2...), plus explicit <a name>s.
func headingAnchors(text string) map[string]bool {
	anchors := map[string]bool{}
	seen := map[string]int{}
	for _, line := range proseLines(text) {
		for _, m := range htmlAnchor.FindAllStringSubmatch(line, -1) {
			anchors[strings.ToLower(m[1])] = true
		}
		m := atxHeading.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		slug := slugify(linkText.ReplaceAllString(m[1], "$1"))
		if n := seen[slug]; n > 0 {
			anchors[fmt.Sprintf("%s-%d", slug, n)] = true
		} else {
			anchors[slug] = true
		}
		seen[slug]++
	}
	return anchors
}

func slugify(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteRune('-')
		}
	}
	return b.String()
}

func sortedKeys(m map[string]bool) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, "#"+k)
	}
	sort.Strings(keys)
	return strings.Join(keys, " ")
}

// TestLinksAndAnchors pins what the link check reads: links outside code,
// and GitHub's anchors.
func TestLinksAndAnchors(t *testing.T) {
	text := "# Using chalc\n" +
		"See [the manifest](docs/manifest.md#go-api) and ![logo](img/logo.png \"Logo\").\n" +
		"```\n[not a link](in/a/fence.md)\n```\n" +
		"Code: `[not a link](in/a/span.md)`, [`a[0]`](arr.md), <https://example.com>.\n" +
		"[ref]: ../other.md\n" +
		"## Go API (package `chalice`; its [godoc](https://pkg.go.dev) is the reference)\n" +
		"## Using chalc\n" +
		"<a name=\"Custom\"></a>\n"
	var got []string
	for _, l := range links(text) {
		got = append(got, fmt.Sprintf("%d:%s", l.line, l.target))
	}
	want := "2:docs/manifest.md#go-api 2:img/logo.png 6:arr.md 7:../other.md 8:https://pkg.go.dev"
	if strings.Join(got, " ") != want {
		t.Errorf("links:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if a, want := sortedKeys(headingAnchors(text)), "#custom #go-api-package-chalice-its-godoc-is-the-reference #using-chalc #using-chalc-1"; a != want {
		t.Errorf("anchors:\n got %s\nwant %s", a, want)
	}
}
