package merge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/diag"
)

// TestCycles: references that go round in a circle are one error,
// listing the circle and each reference at its place, as CloudFormation
// sees the template after the SAM transform.
func TestCycles(t *testing.T) {
	// A function triggered by MediaBucket, which the merge template also
	// gives the bucket's name with !Ref: SAM makes the bucket depend on
	// the function (its NotificationConfiguration), so neither can be
	// created first.
	generated := `{"Resources": {
		"OnUpload": ` + fn(`"Events": {"OnUploadS3Event": {"Type": "S3", "Properties": {"Bucket": {"Ref": "MediaBucket"}, "Events": ["s3:ObjectCreated:*"]}}}`) + `,
		"Audit": {"Type": "AWS::SNS::Topic"}}}`
	dir := t.TempDir()
	mergeFile := filepath.Join(dir, "media.yaml")
	src := `Resources:
  MediaBucket:
    Type: AWS::S3::Bucket
  OnUpload:
    Properties:
      Environment:
        Variables:
          BUCKET: !Ref MediaBucket
  A:
    Type: AWS::SNS::Topic
    DependsOn: B
  B:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !GetAtt A.TopicName
`
	if err := os.WriteFile(mergeFile, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	f, ds := Load(mergeFile, "media.yaml")
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	merged, ds := Merge(decode(t, generated), f.Value, f)
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	got := CheckFrom(merged.(map[string]any), "out/sam.json", 1000, 1000, []*File{f}, nil)
	var lines []string
	for _, d := range got {
		if d.Code != diag.DependencyCycle {
			t.Errorf("unexpected %v", d)
			continue
		}
		lines = append(lines, d.Error())
		for _, n := range d.Notes {
			lines = append(lines, "  note: "+n.Range.String()+": "+n.Message)
		}
		lines = append(lines, "  hint: "+strings.SplitN(d.Hints[0], ":", 2)[0])
	}
	want := `media.yaml:11:16: error: a circular dependency: A → B → A; CloudFormation cannot create any of them
  note: media.yaml:11:16: A depends on B (DependsOn)
  note: media.yaml:15:18: B refers to A (Fn::GetAtt at Properties.TopicName)
  hint: remove one of these references (a DependsOn that is not needed, or a name the function can be given as a string)
media.yaml:8:19: error: a circular dependency: OnUpload → MediaBucket → OnUpload; CloudFormation cannot create any of them
  note: media.yaml:8:19: OnUpload refers to MediaBucket (Ref at Properties.Environment.Variables.BUCKET)
  note: out/sam.json: MediaBucket depends on OnUpload: SAM adds OnUpload to the bucket's NotificationConfiguration (event OnUploadS3Event)
  hint: SAM puts a function triggered by a bucket in the bucket's notification configuration, so the function cannot refer to the bucket`
	if strings.Join(lines, "\n") != want {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), want)
	}

	// The same references from the manifest: reported at its lines.
	origins := Origins{
		"/Resources/OnUpload/Properties/Events/OnUploadS3Event/Properties/Bucket": {Filename: "chalice.yaml", Start: diag.Pos{Line: 6, Column: 42}},
	}
	got = CheckFrom(merged.(map[string]any), "out/sam.json", 1000, 1000, []*File{f}, origins)
	if len(got) != 2 || got[1].Notes[0].Range.String() != "chalice.yaml:6:42" {
		for _, d := range got {
			t.Logf("%v %+v", d, d.Notes)
		}
		t.Errorf("the bucket's edge is not at the manifest line")
	}
}

// TestNoCycles: what chalc generates and Chalice's documented merge
// template (a table in the API handler's environment) have none.
func TestNoCycles(t *testing.T) {
	v := readBase(t)
	merged, ds := Merge(v, decode(t, `{"Resources": {"MusicTable": {"Type": "AWS::DynamoDB::Table"},
		"APIHandler": {"Properties": {"Environment": {"Variables": {"TABLE_NAME": {"Ref": "MusicTable"}}}}}}}`), nil)
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	for _, d := range CheckFrom(merged.(map[string]any), "out/sam.json", 1000, 1000, nil, nil) {
		if d.Code == diag.DependencyCycle {
			t.Errorf("unexpected cycle: %v", d)
		}
	}
}

// TestAPICycle: the API handler cannot be given its own API's ID: the
// API's definition invokes it. The hint says where the address is.
func TestAPICycle(t *testing.T) {
	merged, ds := Merge(readBase(t), decode(t, `{"Resources": {"APIHandler": {"Properties": {"Environment": {"Variables": {
		"API_URL": {"Fn::Sub": "https://${RestAPI}.execute-api.${AWS::Region}.amazonaws.com/api"}}}}}}}`), nil)
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	got := CheckFrom(merged.(map[string]any), "out/sam.json", 1000, 1000, nil, nil)
	if len(got) != 1 || got[0].Message != "a circular dependency: APIHandler → RestAPI → APIHandler; CloudFormation cannot create any of them" ||
		!strings.HasPrefix(got[0].Hints[0], "RestAPI invokes the function, so the function cannot refer to RestAPI") {
		t.Fatalf("got %v %q", got, got[0].Hints)
	}
}
