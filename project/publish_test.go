package project

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// publishFiles are one run's output: a template and a zip that belong
// together.
func publishFiles(run string) map[string][]byte {
	return map[string][]byte{"sam.json": []byte("template " + run), "deployment.zip": []byte("zip " + run)}
}

// checkOut: out holds one run's template and zip, and the record
// describes exactly them; it returns the run.
func checkOut(t *testing.T, out string) string {
	t.Helper()
	tmpl, err1 := os.ReadFile(filepath.Join(out, "sam.json"))
	zip, err2 := os.ReadFile(filepath.Join(out, "deployment.zip"))
	if err1 != nil || err2 != nil {
		t.Fatalf("output incomplete: %v %v", err1, err2)
	}
	var run string
	fmt.Sscanf(string(tmpl), "template %s", &run)
	if string(zip) != "zip "+run {
		t.Fatalf("torn output: %q beside %q", tmpl, zip)
	}
	rec := readRecord(out)
	if rec.Files["sam.json"] != sum(tmpl) || rec.Files["deployment.zip"] != sum(zip) {
		t.Fatalf("the record does not describe the files: %v", rec.Files)
	}
	return run
}

func TestPublishKeepsTheUsersFiles(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if _, err := publish(out, "out", map[string][]byte{"sam.yaml": []byte("yaml 1"), "deployment.zip": []byte("zip 1")}, nil); err != nil {
		t.Fatal(err)
	}
	// The user's own files: `aws cloudformation package` writes here.
	os.WriteFile(filepath.Join(out, "packaged.json"), []byte("user"), 0o644)
	os.MkdirAll(filepath.Join(out, "notes"), 0o755)
	os.WriteFile(filepath.Join(out, "notes", "a.txt"), []byte("user note"), 0o644)
	kept, err := publish(out, "out", publishFiles("2"), []string{"sam.yaml", "layer-deployment.zip"})
	if err != nil {
		t.Fatal(err)
	}
	if run := checkOut(t, out); run != "2" {
		t.Errorf("run %s published", run)
	}
	if _, err := os.Stat(filepath.Join(out, "sam.yaml")); !errors.Is(err, os.ErrNotExist) || len(kept) != 0 {
		t.Errorf("chalc's stale sam.yaml stayed (kept %v)", kept)
	}
	for name, want := range map[string]string{"packaged.json": "user", "notes/a.txt": "user note"} {
		if b, _ := os.ReadFile(filepath.Join(out, name)); string(b) != want {
			t.Errorf("%s = %q, want %q", name, b, want)
		}
	}
	// A stale file the user changed is kept, and said.
	os.WriteFile(filepath.Join(out, "sam.json"), []byte("edited"), 0o644)
	kept, err = publish(out, "out", map[string][]byte{"sam.yaml": []byte("yaml 3"), "deployment.zip": []byte("zip 3")}, []string{"sam.json"})
	if err != nil || len(kept) != 1 || kept[0] != filepath.Join("out", "sam.json") {
		t.Errorf("kept %v, %v", kept, err)
	}
}

// TestPublishKilled kills (os.Exit, no deferred cleanup) a run after each
// step: the output is wholly the old run's or wholly the new one's, and
// the next run removes the temporaries.
func TestPublishKilled(t *testing.T) {
	if step := os.Getenv("CHALC_TEST_PUBLISH_KILL"); step != "" {
		publishHook = func(s string) {
			if s == step {
				os.Exit(9)
			}
		}
		publish(os.Getenv("CHALC_TEST_PUBLISH_OUT"), "out", publishFiles("new"), nil)
		os.Exit(0)
	}
	for _, step := range []string{"staged", "swapped"} {
		t.Run(step, func(t *testing.T) {
			parent := t.TempDir()
			out := filepath.Join(parent, "out")
			if _, err := publish(out, "out", publishFiles("old"), nil); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestPublishKilled$")
			cmd.Env = append(os.Environ(), "CHALC_TEST_PUBLISH_KILL="+step, "CHALC_TEST_PUBLISH_OUT="+out)
			if err := cmd.Run(); err == nil {
				t.Fatal("the run was not killed")
			}
			want := map[string]string{"staged": "old", "swapped": "new"}[step]
			if run := checkOut(t, out); run != want {
				t.Errorf("killed after %s: the output is run %s, want %s", step, run, want)
			}
			left, _ := filepath.Glob(filepath.Join(parent, ".out.chalc-*"))
			if len(left) == 0 {
				t.Errorf("killed after %s: no temporary left (the test kills nothing)", step)
			}
			if _, err := publish(out, "out", publishFiles("next"), nil); err != nil {
				t.Fatal(err)
			}
			if left, _ := filepath.Glob(filepath.Join(parent, ".out.chalc-*")); len(left) != 0 {
				t.Errorf("temporaries left after the next run: %v", left)
			}
			checkOut(t, out)
		})
	}
}

// TestPublishConcurrent: runs into one directory at once never leave a
// torn output or a record describing other files; a run that finds
// another publishing stops with a BusyError.
func TestPublishConcurrent(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no directory locks")
	}
	out := filepath.Join(t.TempDir(), "out")
	busy := 0
	for round := range 30 {
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = publish(out, "out", publishFiles(fmt.Sprintf("%d-%d", round, i)), nil)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			var be *BusyError
			switch {
			case errors.As(err, &be):
				busy++
			case err != nil:
				t.Fatal(err)
			}
		}
		checkOut(t, out)
	}
	t.Logf("%d runs found the directory busy", busy)
	b, _ := json.Marshal(readRecord(out))
	t.Logf("record: %s", b)
}
