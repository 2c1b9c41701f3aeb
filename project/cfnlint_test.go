package project

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestCfnLint runs AWS's CloudFormation linter, cfn-lint, over every
// golden template: it applies the SAM transform first (with the AWS SAM
// translator it bundles), so a clean run also says SAM can translate the
// template. cfn-lint is Python (`pip install cfn-lint`); without it the
// test is skipped, unless CHALC_REQUIRE_CFNLINT=1.
func TestCfnLint(t *testing.T) {
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		if os.Getenv("CHALC_REQUIRE_CFNLINT") == "1" {
			t.Fatal("cfn-lint is not installed (pip install cfn-lint) and CHALC_REQUIRE_CFNLINT=1")
		}
		t.Skip("cfn-lint is not installed (pip install cfn-lint)")
	}
	files, err := filepath.Glob("../golden/*/*.sam.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden templates: %v", err)
	}
	out, err := exec.Command(lint, append([]string{"--format", "parseable"}, files...)...).CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("cfn-lint: %v\n%s", err, out)
	}
}
