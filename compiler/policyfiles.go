package compiler

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/chalc-dev/chalc/awsfacts"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/internal/jsonvalue"
	"github.com/chalc-dev/chalc/internal/userinput"
	"github.com/chalc-dev/chalc/manifest"
	"github.com/chalc-dev/chalc/stages"
)

// policyHint shows the shape of an IAM policy document.
const policyHint = `an IAM policy looks like {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}]}`

// maxPolicyFile bounds what chalc reads as a policy file: IAM's own
// limits are far smaller (10,240 characters for a role's inline policies,
// 20 KB for a REST API's resource policy).
const maxPolicyFile = 1 << 20

// policyFile is one policy file read at compile time.
type policyFile struct {
	abs string
	doc any
	// problem is the file's own problem (missing, unreadable, not JSON,
	// not a policy), reported once however many functions name it.
	problem *diag.Diagnostic
}

// policyUse is a place that makes chalc read a policy file, for grouping
// the problem's notes.
type policyUse struct {
	file     *policyFile
	at       diag.Range // the manifest value naming the file (or autogen_policy: false)
	named    string     // the path as written ("" when defaulted)
	key      string     // iam_policy_file or api_gateway_policy_file
	function string     // "" for the REST API's policy
	stage    string
}

// policyFiles reads the policy files the checked stages name: for every
// function with manage_iam_role true and autogen_policy false,
// iam_policy_file, else .chalice/policy-<stage>.json; and each stage's
// api_gateway_policy_file. Paths are relative to the manifest. The
// compiled stage's documents are stored on the App and its functions, so
// the template generator reads no files. A missing file, invalid JSON or
// a document that is not an IAM policy is one error per file and place,
// noting the functions and stages it affects.
func (c *checker) policyFiles(checked []*stages.Stage) {
	files := map[string]*policyFile{}
	read := func(abs string) *policyFile {
		if f, ok := files[abs]; ok {
			return f
		}
		f := &policyFile{abs: abs}
		files[abs] = f
		if !c.set.PathAllowed(abs) {
			// Never read: reported at each place naming it.
			f.problem = &diag.Diagnostic{Code: diag.PathOutsideProject}
		} else {
			f.doc, f.problem = c.readPolicy(abs)
		}
		return f
	}
	var uses []policyUse
	warnedVPC := map[string]bool{}
	warnedSource := map[string]bool{}
	byName := map[string]*Function{}
	for _, f := range c.allFunctions() {
		byName[f.Name] = f
	}
	for _, st := range checked {
		compiled := st == c.app.Stage
		for _, name := range st.Order {
			cfg := st.Functions[name]
			if cfg == nil || !cfg.ManageIAMRole.V || cfg.AutogenPolicy.V {
				continue
			}
			u := policyUse{function: name, stage: st.Name, key: "iam_policy_file"}
			rel := cfg.IAMPolicyFile.V
			if rel != "" {
				u.at, u.named = cfg.IAMPolicyFile.From, rel
			} else {
				rel = ".chalice/policy-" + st.Name + ".json"
				u.at = cfg.AutogenPolicy.From
			}
			u.file = read(manifest.ResolvePath(c.set.Root, rel))
			uses = append(uses, u)
			if u.file.problem == nil && len(cfg.SubnetIDs.V) > 0 && len(cfg.SecurityGroupIDs.V) > 0 &&
				!allows(u.file.doc, "ec2:CreateNetworkInterface") {
				// Nothing is added to a policy file (as Chalice): a VPC
				// function whose role cannot create its network interface
				// fails to deploy.
				// One warning per file and place, whichever functions use it.
				if !warnedVPC[u.at.String()+rel] {
					warnedVPC[u.at.String()+rel] = true
					c.ds.Warnf(diag.PolicyFilePermissions, u.at, "%s is the policy of a function in a VPC but does not allow ec2:CreateNetworkInterface", rel).
						Hint("add ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces and ec2:DeleteNetworkInterface, or Lambda cannot attach the function to the VPC").
						Note(diag.Range{}, "function %s in stage %s", name, st.Name)
				}
			}
			if fn := byName[name]; fn != nil && u.file.problem == nil {
				c.eventSourceWarning(u, rel, fn, st.Name, warnedSource)
			}
			if fn := byName[name]; compiled && fn != nil && u.file.problem == nil {
				fn.PolicyDocument, fn.PolicyFile = u.file.doc, u.file.abs
			}
		}
		if rel := st.PolicyFile.V; rel != "" {
			u := policyUse{stage: st.Name, key: "api_gateway_policy_file", at: st.PolicyFile.From, named: rel}
			u.file = read(manifest.ResolvePath(c.set.Root, rel))
			uses = append(uses, u)
			if compiled && u.file.problem == nil {
				c.app.APIPolicyDocument, c.app.APIPolicyFile = u.file.doc, u.file.abs
			}
		}
	}
	c.ds = append(c.ds, c.policyProblems(uses)...)
}

// A policy file that is missing or outside the project is a diagnostic
// with only a code: policyProblems says it at each place naming the file.

// readPolicy reads and parses one policy file. A problem that depends on
// how the file is named (missing) is left to policyProblems: it returns
// a diagnostic without a subject then. The file's text is shown in a
// diagnostic (an excerpt of the line with a JSON error) only when it is
// inside the project: with --allow-outside-project a policy path may name
// any file, and a file that is not JSON may hold secrets.
func (c *checker) readPolicy(abs string) (any, *diag.Diagnostic) {
	src, err := userinput.ReadFile(abs, maxPolicyFile)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, &diag.Diagnostic{Code: diag.FileNotFound}
		case userinput.IsNotRegular(err), userinput.IsTooLarge(err):
			return nil, diag.Errorf(diag.FileUnreadable, diag.Range{}, "cannot use the policy file %s: %v", diag.DisplayPath(abs), err).
				Hint("a policy file is a regular JSON file; IAM's own limits are 10,240 characters for a role's inline policies and 20 KB for a REST API's resource policy")
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, diag.Errorf(diag.FileUnreadable, diag.Range{}, "cannot read the policy file %s: %v", diag.DisplayPath(abs), err)
	}
	name := diag.DisplayPath(abs)
	showSource := func() {
		if c.set.InProject(abs) {
			c.set.Sources[name] = src
		}
	}
	var doc any
	if err := json.Unmarshal(src, &doc); err != nil {
		showSource()
		at := diag.Range{Filename: name, Start: diag.Pos{Line: 1, Column: 1}}
		msg := err.Error()
		var se *json.SyntaxError
		if errors.As(err, &se) {
			at.Start = offsetPos(src, int(se.Offset)-1)
		}
		at.End = diag.Pos{Line: at.Start.Line, Column: at.Start.Column + 1}
		return nil, diag.Errorf(diag.JSONSyntax, at, "the policy file is not valid JSON: %s", msg)
	}
	if why := notPolicy(doc); why != "" {
		showSource()
		at := diag.Range{Filename: name, Start: offsetPos(src, len(src)-len(strings.TrimLeft(string(src), " \t\r\n\ufeff")))}
		at.End = diag.Pos{Line: at.Start.Line, Column: at.Start.Column + 1}
		return nil, diag.Errorf(diag.PolicyFile, at, "the policy file is not an IAM policy document: %s", why).Hint(policyHint)
	}
	return doc, nil
}

// notPolicy says why doc is not an IAM policy document, or "".
func notPolicy(doc any) string {
	m, ok := doc.(map[string]any)
	if !ok {
		return fmt.Sprintf("it is a JSON %s, not an object", jsonKind(doc))
	}
	var missing []string
	if v, ok := m["Version"]; !ok {
		missing = append(missing, `"Version"`)
	} else if _, ok := v.(string); !ok {
		return `"Version" must be a string such as "2012-10-17"`
	}
	if st, ok := m["Statement"]; !ok {
		missing = append(missing, `"Statement"`)
	} else {
		switch st.(type) {
		case []any, map[string]any:
		default:
			return `"Statement" must be a list of statements (or one statement object)`
		}
	}
	if len(missing) > 0 {
		return "it has no " + strings.Join(missing, " and no ")
	}
	return ""
}

func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return "value"
}

// offsetPos converts a byte offset of src to a 1-based line and column
// (in characters).
func offsetPos(src []byte, off int) diag.Pos {
	off = max(0, min(off, len(src)))
	line, start := 1, 0
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line, start = line+1, i+1
		}
	}
	return diag.Pos{Line: line, Column: utf8.RuneCount(src[start:off]) + 1}
}

// policyProblems turns the files' problems into diagnostics: one per file
// and naming place, with a note of the functions and stages it applies to.
func (c *checker) policyProblems(uses []policyUse) diag.Diagnostics {
	var groups stages.Grouped
	for _, u := range uses {
		p := u.file.problem
		if p == nil {
			continue
		}
		var d *diag.Diagnostic
		key := u.file.abs
		if p.Code == diag.FileNotFound {
			key += "\x00" + u.at.String()
			if groups.Get(key) == nil {
				d = c.missingPolicy(u)
			}
		} else if p.Code == diag.PathOutsideProject {
			key += "\x00" + u.at.String()
			if groups.Get(key) == nil {
				d = c.outsidePolicy(u)
			}
		} else if p.Subject.Filename == "" {
			key += "\x00" + u.at.String()
			if groups.Get(key) == nil {
				d = diag.Errorf(p.Code, u.at, "%s", p.Message)
				d.Hints = p.Hints
			}
		} else if groups.Get(key) == nil {
			d = p
		}
		d = groups.Add(key, d, u.function, u.stage)
		if d.Subject.Filename != u.at.Filename || d.Subject.Start != u.at.Start {
			// The problem is inside the file: say where it is named.
			named := false
			for _, n := range d.Notes {
				if n.Range == u.at {
					named = true
				}
			}
			if !named {
				d.Note(u.at, "named by %s here", u.key)
			}
		}
	}
	return groups.Diagnostics("the REST API")
}

// outsidePolicy reports a policy file outside the project, at the value
// naming it (or at autogen_policy: false for the default file).
func (c *checker) outsidePolicy(u policyUse) *diag.Diagnostic {
	if u.named == "" {
		return c.set.CheckInside(u.file.abs, u.at, "the default policy file", diag.DisplayPath(u.file.abs))
	}
	return c.set.CheckInside(u.file.abs, u.at, u.key, u.named)
}

// missingPolicy reports a policy file that does not exist, at the value
// naming it (or at autogen_policy: false for the default file).
func (c *checker) missingPolicy(u policyUse) *diag.Diagnostic {
	shown := diag.DisplayPath(u.file.abs)
	manifestName := c.set.Root.Filename
	if u.named == "" {
		return diag.Errorf(diag.PolicyFileMissing, u.at, "autogen_policy is false but the default policy file %s does not exist", shown).
			Hint("write the role's policy there, set iam_policy_file: FILE (relative to %s), or remove autogen_policy: false so chalc generates the policy", manifestName)
	}
	d := diag.Errorf(diag.PolicyFileMissing, u.at, "%s %q not found", u.key, u.named).
		Hint("looked for %s; paths are relative to the directory of %s", shown, manifestName)
	if !filepath.IsAbs(u.named) {
		alt := filepath.Join(c.app.Dir, ".chalice", filepath.FromSlash(u.named))
		if st, err := os.Stat(alt); err == nil && !st.IsDir() {
			d.Hint("did you mean %q?", filepath.ToSlash(filepath.Join(".chalice", u.named)))
		}
	}
	return d
}

// eventSourceWarning warns when the policy file of an sqs, kinesis or
// dynamodb function does not allow what Lambda needs to poll the source:
// nothing is added to a policy file (as Chalice), and the event source
// mapping then fails to create at deploy time. One warning per file,
// place and source kind.
func (c *checker) eventSourceWarning(u policyUse, rel string, fn *Function, stage string, warned map[string]bool) {
	need := awsfacts.EventSourceActions(fn.Kind.Trigger())
	var missing []string
	for _, a := range need {
		if !allows(u.file.doc, a) {
			missing = append(missing, a)
		}
	}
	key := u.at.String() + rel + string(fn.Kind)
	if len(missing) == 0 || warned[key] {
		return
	}
	warned[key] = true
	c.ds.Warnf(diag.PolicyFilePermissions, u.at, "%s is the policy of %s function %s but does not allow %s", rel, fn.Kind, fn.Name, strings.Join(missing, ", ")).
		Hint("allow %s on the %s, or Lambda cannot create the function's event source mapping", strings.Join(need, ", "), eventSourceNoun[fn.Kind]).
		Note(diag.Range{}, "function %s in stage %s", fn.Name, stage)
}

var eventSourceNoun = map[FunctionKind]string{FuncSQS: "queue", FuncKinesis: "stream", FuncDynamoDB: "table's stream"}

// allows reports whether an IAM policy document has an Allow statement
// whose actions cover action: IAM's matching, case-insensitive with the
// wildcards * and ?, and NotAction statements allowing what they do not
// list. Conditions and resources are not considered (the checks using it
// warn, they do not refuse).
func allows(doc any, action string) bool {
	m, _ := doc.(map[string]any)
	var statements []any
	switch st := m["Statement"].(type) {
	case []any:
		statements = st
	case map[string]any:
		statements = []any{st}
	}
	matchesAny := func(patterns []string) bool {
		for _, p := range patterns {
			if actionMatch(strings.ToLower(p), strings.ToLower(action)) {
				return true
			}
		}
		return false
	}
	for _, s := range statements {
		st, _ := s.(map[string]any)
		if st["Effect"] != "Allow" {
			continue
		}
		if _, ok := st["NotAction"]; ok {
			if !matchesAny(jsonvalue.Strings(st["NotAction"])) {
				return true
			}
			continue
		}
		if matchesAny(jsonvalue.Strings(st["Action"])) {
			return true
		}
	}
	return false
}

// actionMatch matches an IAM action pattern (* any run, ? one character)
// against an action; both are lower case.
func actionMatch(pattern, action string) bool {
	for len(pattern) > 0 {
		switch pattern[0] {
		case '*':
			for i := len(action); i >= 0; i-- {
				if actionMatch(pattern[1:], action[i:]) {
					return true
				}
			}
			return false
		case '?':
			if action == "" {
				return false
			}
		default:
			if action == "" || action[0] != pattern[0] {
				return false
			}
		}
		pattern, action = pattern[1:], action[1:]
	}
	return action == ""
}
