package awsfacts

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestResourceField(t *testing.T) {
	for _, tt := range []struct {
		svc, op, field string
		kind           ResourceKind
		why            bool
	}{
		{"dynamodb", "GetItem", "TableName", ResourceTable, false},
		{"s3", "GetObject", "Bucket", ResourceBucket, false},
		{"s3", "CopyObject", "", "", true},
		{"sqs", "SendMessage", "QueueUrl", ResourceQueueURL, false},
		{"sqs", "GetQueueUrl", "QueueName", ResourceQueueName, false},
		{"sns", "Publish", "TopicArn", ResourceTopic, false},
		{"ssm", "GetParameter", "Name", ResourceParameter, false},
		{"ssm", "GetDocument", "", "", false}, // a document's Name, not a parameter's
		{"secretsmanager", "GetSecretValue", "SecretId", ResourceSecret, false},
		{"lambda", "Invoke", "", "", false},
	} {
		field, kind, why := ResourceField(tt.svc, tt.op)
		if field != tt.field || kind != tt.kind || (why != "") != tt.why {
			t.Errorf("ResourceField(%s, %s) = %q %q %q", tt.svc, tt.op, field, kind, why)
		}
	}
	if got := InputPaths("rekognition", "CompareFaces"); !slices.Equal(got, []string{"SourceImage.S3Object", "SourceImage.S3Object.Bucket", "TargetImage.S3Object", "TargetImage.S3Object.Bucket"}) {
		t.Errorf("InputPaths(CompareFaces) = %q", got)
	}
}

func TestLiteralARNs(t *testing.T) {
	const head, ra = "arn:${AWS::Partition}:", "${AWS::Region}:${AWS::AccountId}"
	for _, tt := range []struct {
		kind  ResourceKind
		value string
		want  []string // nil: an error
	}{
		{ResourceTable, "todos", []string{head + "dynamodb:" + ra + ":table/todos", head + "dynamodb:" + ra + ":table/todos/index/*"}},
		{ResourceTable, "arn:aws:dynamodb:us-east-1:123456789012:table/t", []string{"arn:aws:dynamodb:us-east-1:123456789012:table/t", "arn:aws:dynamodb:us-east-1:123456789012:table/t/index/*"}},
		{ResourceTable, "a b", nil},
		{ResourceBucket, "my-bucket", []string{head + "s3:::my-bucket", head + "s3:::my-bucket/*"}},
		{ResourceBucket, "arn:aws:s3:us-east-1:123456789012:accesspoint/ap", nil},
		{ResourceQueueURL, "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs.fifo", []string{head + "sqs:eu-west-1:123456789012:jobs.fifo"}},
		{ResourceQueueURL, "https://eu-west-1.queue.amazonaws.com/123456789012/jobs", []string{head + "sqs:eu-west-1:123456789012:jobs"}},
		{ResourceQueueURL, "http://localhost:4566/000000000000/jobs", nil},
		{ResourceQueueName, "jobs", []string{head + "sqs:" + ra + ":jobs"}},
		{ResourceTopic, "arn:aws:sns:us-east-1:123456789012:t", []string{"arn:aws:sns:us-east-1:123456789012:t"}},
		{ResourceTopic, "t", nil},
		{ResourceParameter, "/app/db", []string{head + "ssm:" + ra + ":parameter/app/db"}},
		{ResourceParameter, "db", []string{head + "ssm:" + ra + ":parameter/db"}},
		{ResourceSecret, "prod/db", []string{head + "secretsmanager:" + ra + ":secret:prod/db-??????"}},
		{ResourceSecret, "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf", []string{"arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"}},
		{ResourceSecret, "arn:aws:secretsmanager:us-east-1:123456789012:secret:db", []string{"arn:aws:secretsmanager:us-east-1:123456789012:secret:db-??????"}},
		{ResourceRole, "worker", []string{head + "iam::${AWS::AccountId}:role/worker"}},
		{ResourceBucket, "${x}", nil},
	} {
		got, err := LiteralARNs(tt.kind, tt.value)
		if tt.want == nil {
			if err == nil {
				t.Errorf("LiteralARNs(%s, %q) = %q, want an error", tt.kind, tt.value, got)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("LiteralARNs(%s, %q) = %q, %v; want %q", tt.kind, tt.value, got, err, tt.want)
		}
	}
}

func TestTemplateARNs(t *testing.T) {
	for _, tt := range []struct {
		kind ResourceKind
		r    TemplateResource
		want []string // nil: an error
	}{
		{ResourceTable, TemplateResource{ID: "T", Type: "AWS::DynamoDB::Table"}, []string{"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${T}", "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${T}/index/*"}},
		{ResourceTable, TemplateResource{ID: "T", Type: "AWS::DynamoDB::Table", Attr: "Arn"}, []string{"${T.Arn}", "${T.Arn}/index/*"}},
		{ResourceTable, TemplateResource{ID: "B", Type: "AWS::S3::Bucket"}, nil},
		{ResourceBucket, TemplateResource{ID: "B", Type: "AWS::S3::Bucket"}, []string{"arn:${AWS::Partition}:s3:::${B}", "arn:${AWS::Partition}:s3:::${B}/*"}},
		{ResourceQueueURL, TemplateResource{ID: "Q", Type: "AWS::SQS::Queue"}, []string{"${Q.Arn}"}},
		{ResourceQueueURL, TemplateResource{ID: "Q", Type: "AWS::SQS::Queue", Attr: "QueueUrl"}, []string{"${Q.Arn}"}},
		{ResourceQueueURL, TemplateResource{ID: "Q", Type: "AWS::SQS::Queue", Attr: "Arn"}, nil},
		{ResourceTopic, TemplateResource{ID: "N", Type: "AWS::SNS::Topic"}, []string{"${N}"}},
		{ResourceParameter, TemplateResource{ID: "P", Type: "AWS::SSM::Parameter", Props: map[string]any{"Name": "/app/x"}}, []string{"arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${P}"}},
		{ResourceParameter, TemplateResource{ID: "P", Type: "AWS::SSM::Parameter"}, []string{"arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${P}"}},
		{ResourceParameter, TemplateResource{ID: "P", Type: "AWS::SSM::Parameter", Props: map[string]any{"Name": map[string]any{"Fn::Sub": "x"}}}, nil},
		{ResourceSecret, TemplateResource{ID: "S", Type: "AWS::SecretsManager::Secret"}, []string{"${S}"}},
		{ResourceRole, TemplateResource{ID: "R", Type: "AWS::IAM::Role", Attr: "Arn"}, []string{"${R.Arn}"}},
	} {
		got, err := TemplateARNs(tt.kind, tt.r)
		if tt.want == nil {
			if err == nil {
				t.Errorf("TemplateARNs(%s, %+v) = %q, want an error", tt.kind, tt.r, got)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("TemplateARNs(%s, %+v) = %q, %v; want %q", tt.kind, tt.r, got, err, tt.want)
		}
	}
	_, err := TemplateARNs(ResourceTable, TemplateResource{ID: "B", Type: "AWS::S3::Bucket"})
	if err == nil || !strings.Contains(err.Error(), "!Ref B (AWS::S3::Bucket) is not a table chalc knows") {
		t.Errorf("error %v", err)
	}
}

// TestDependentActions has a case for every entry of the table (and
// fails when one is added without its case).
func TestDependentActions(t *testing.T) {
	s3 := func(path, svc string) string {
		return "when " + path + ": s3:GetObject on bucket " + path + ".Bucket"
	}
	pass := func(when, path, to string) string {
		s := "iam:PassRole on role " + path + " to " + to
		if path == "" {
			s = "iam:PassRole on * to " + to
		}
		if when != "" {
			s = "when " + when + ": " + s
		}
		return s
	}
	video := []string{s3("Video.S3Object", ""), pass("NotificationChannel", "NotificationChannel.RoleArn", "rekognition.amazonaws.com")}
	image := []string{s3("Image.S3Object", "")}
	want := map[string][]string{
		"rekognition.DetectLabels":              image,
		"rekognition.DetectFaces":               image,
		"rekognition.DetectText":                image,
		"rekognition.DetectModerationLabels":    image,
		"rekognition.DetectProtectiveEquipment": image,
		"rekognition.DetectCustomLabels":        image,
		"rekognition.RecognizeCelebrities":      image,
		"rekognition.IndexFaces":                image,
		"rekognition.SearchFacesByImage":        image,
		"rekognition.CompareFaces":              {s3("SourceImage.S3Object", ""), s3("TargetImage.S3Object", "")},
		"rekognition.StartLabelDetection":       video,
		"rekognition.StartFaceDetection":        video,
		"rekognition.StartFaceSearch":           video,
		"rekognition.StartPersonTracking":       video,
		"rekognition.StartCelebrityRecognition": video,
		"rekognition.StartContentModeration":    video,
		"rekognition.StartTextDetection":        video,
		"rekognition.StartSegmentDetection":     video,
		"scheduler.CreateSchedule":              {pass("", "Target.RoleArn", "scheduler.amazonaws.com")},
		"scheduler.UpdateSchedule":              {pass("", "Target.RoleArn", "scheduler.amazonaws.com")},
		"ecs.RunTask":                           {pass("", "", "ecs-tasks.amazonaws.com")},
		"ecs.StartTask":                         {pass("", "", "ecs-tasks.amazonaws.com")},
		"sfn.CreateStateMachine":                {pass("", "RoleArn", "states.amazonaws.com")},
		"sfn.UpdateStateMachine":                {pass("RoleArn", "RoleArn", "states.amazonaws.com")},
	}
	ops := DependentOperations()
	for _, op := range ops {
		svc, name, _ := strings.Cut(op, ".")
		var got []string
		for _, d := range DependentActions(svc, name) {
			s := strings.Join(d.Actions, ",") + " on "
			if d.Resource == "" {
				s += "*"
			} else {
				s += string(d.Kind) + " " + d.Resource
			}
			if d.PassedTo != "" {
				s += " to " + d.PassedTo
			}
			if d.When != "" {
				s = "when " + d.When + ": " + s
			}
			if d.Why == "" {
				t.Errorf("%s: an entry without Why", op)
			}
			got = append(got, s)
		}
		if w, ok := want[op]; !ok {
			t.Errorf("%s has no case in TestDependentActions", op)
		} else if !slices.Equal(got, w) {
			t.Errorf("%s:\n got %q\nwant %q", op, got, w)
		}
	}
	if len(ops) != len(want) {
		t.Errorf("%d entries, %d cases", len(ops), len(want))
	}
	if DependentActions("dynamodb", "GetItem") != nil {
		t.Error("GetItem has dependent actions")
	}
}

func TestKMS(t *testing.T) {
	if got := KMSActions("sqs:SendMessage"); !slices.Equal(got, []string{"kms:GenerateDataKey", "kms:Decrypt"}) {
		t.Errorf("KMSActions(sqs:SendMessage) = %q", got)
	}
	if KMSActions("dynamodb:GetItem") != nil {
		t.Error("dynamodb:GetItem has KMS actions")
	}
	key := map[string]any{"Fn::GetAtt": []any{"Key", "Arn"}}
	bucket := func(alg string, id any) map[string]any {
		def := map[string]any{"SSEAlgorithm": alg}
		if id != nil {
			def["KMSMasterKeyID"] = id
		}
		return map[string]any{"BucketEncryption": map[string]any{"ServerSideEncryptionConfiguration": []any{map[string]any{"ServerSideEncryptionByDefault": def}}}}
	}
	for _, tt := range []struct {
		typ   string
		props map[string]any
		want  any
	}{
		{"AWS::SQS::Queue", map[string]any{"KmsMasterKeyId": key}, key},
		{"AWS::SQS::Queue", map[string]any{"KmsMasterKeyId": "alias/aws/sqs"}, nil},
		{"AWS::SQS::Queue", nil, nil},
		{"AWS::SNS::Topic", map[string]any{"KmsMasterKeyId": "1234abcd"}, "1234abcd"},
		{"AWS::SecretsManager::Secret", map[string]any{"KmsKeyId": key}, key},
		{"AWS::S3::Bucket", bucket("aws:kms", key), key},
		{"AWS::S3::Bucket", bucket("aws:kms", nil), nil},
		{"AWS::S3::Bucket", bucket("AES256", nil), nil},
		{"AWS::DynamoDB::Table", map[string]any{"SSESpecification": map[string]any{"KMSMasterKeyId": key}}, nil},
	} {
		if got := KMSKey(tt.typ, tt.props); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("KMSKey(%s, %v) = %v, want %v", tt.typ, tt.props, got, tt.want)
		}
	}
}
