package awsfacts

import "slices"

// Dependent actions: IAM actions an operation needs beyond its own, as
// the Service Authorization Reference's "Dependent actions" column and
// the services' developer guides list them. A service that reads an S3
// object the request names does so with the caller's permissions (the
// caller needs s3:GetObject on it); one that is given a role to act with
// later needs the caller to be allowed iam:PassRole on that role.
// Encrypted resources (kms:Decrypt...) depend on the resource, not the
// operation: see KMSActions.

// Dependent is one group of actions an operation needs beyond its own.
type Dependent struct {
	// When is the input field (a path: "NotificationChannel") that must be
	// set for the actions to be needed; "" when they always are.
	When string
	// Actions are the IAM actions needed.
	Actions []string
	// Resource is the input field (a path) naming the resource the actions
	// act on, of kind Kind; "" when the actions act on "*" (or on what
	// chalc cannot name from the input).
	Resource string
	Kind     ResourceKind
	// PassedTo is, for iam:PassRole, the service the role is passed to:
	// the statement's iam:PassedToService condition.
	PassedTo string
	// Why says why, for chalc policy.
	Why string
}

// s3Read is a service reading an S3 object the input names, through the
// path (the parent of the object's Bucket field).
func s3Read(path, svc string) Dependent {
	return Dependent{When: path, Actions: []string{"s3:GetObject"}, Resource: path + ".Bucket", Kind: ResourceBucket,
		Why: svc + " reads the S3 object " + path + " names with the caller's permissions"}
}

// passRole is a service given a role (the input's field path) to act
// with.
func passRole(when, path, service string) Dependent {
	return Dependent{When: when, Actions: []string{"iam:PassRole"}, Resource: path, Kind: ResourceRole, PassedTo: service,
		Why: "the caller passes the role " + path + " names to " + service}
}

// dependentActions maps "<svc>.<Op>" to the actions it needs besides its
// own. Every entry has a case in TestDependentActions, and its input
// fields are checked against the SDK by gocheck's TestDependentInputPaths.
var dependentActions = map[string][]Dependent{
	// Rekognition: images and videos in S3 (Image, Video, SourceImage,
	// TargetImage .S3Object), and the SNS topic a video analysis
	// reports to, which Rekognition publishes to with the role given.
	"rekognition.DetectLabels":              {s3Read("Image.S3Object", "Rekognition")},
	"rekognition.DetectFaces":               {s3Read("Image.S3Object", "Rekognition")},
	"rekognition.DetectText":                {s3Read("Image.S3Object", "Rekognition")},
	"rekognition.DetectModerationLabels":    {s3Read("Image.S3Object", "Rekognition")},
	"rekognition.DetectProtectiveEquipment": {s3Read("Image.S3Object", "Rekognition")},
	"rekognition.DetectCustomLabels":        {s3Read("Image.S3Object", "Rekognition")},
	"rekognition.RecognizeCelebrities":      {s3Read("Image.S3Object", "Rekognition")},
	"rekognition.IndexFaces":                {s3Read("Image.S3Object", "Rekognition")},
	"rekognition.SearchFacesByImage":        {s3Read("Image.S3Object", "Rekognition")},
	"rekognition.CompareFaces":              {s3Read("SourceImage.S3Object", "Rekognition"), s3Read("TargetImage.S3Object", "Rekognition")},
	"rekognition.StartLabelDetection":       rekognitionVideo(),
	"rekognition.StartFaceDetection":        rekognitionVideo(),
	"rekognition.StartFaceSearch":           rekognitionVideo(),
	"rekognition.StartPersonTracking":       rekognitionVideo(),
	"rekognition.StartCelebrityRecognition": rekognitionVideo(),
	"rekognition.StartContentModeration":    rekognitionVideo(),
	"rekognition.StartTextDetection":        rekognitionVideo(),
	"rekognition.StartSegmentDetection":     rekognitionVideo(),

	// EventBridge Scheduler invokes the target with the role given.
	"scheduler.CreateSchedule": {passRole("", "Target.RoleArn", "scheduler.amazonaws.com")},
	"scheduler.UpdateSchedule": {passRole("", "Target.RoleArn", "scheduler.amazonaws.com")},

	// ECS: the task definition's task and execution roles are passed to
	// ECS on every RunTask/StartTask (they are not in the input: "*").
	"ecs.RunTask":   {passRole("", "", "ecs-tasks.amazonaws.com")},
	"ecs.StartTask": {passRole("", "", "ecs-tasks.amazonaws.com")},

	// Step Functions: a state machine runs with the role given.
	"sfn.CreateStateMachine": {passRole("", "RoleArn", "states.amazonaws.com")},
	"sfn.UpdateStateMachine": {passRole("RoleArn", "RoleArn", "states.amazonaws.com")},
}

func rekognitionVideo() []Dependent {
	return []Dependent{s3Read("Video.S3Object", "Rekognition"), passRole("NotificationChannel", "NotificationChannel.RoleArn", "rekognition.amazonaws.com")}
}

// DependentActions returns what service's op needs besides its own
// actions (nil for most operations).
func DependentActions(service, op string) []Dependent {
	return dependentActions[service+"."+op]
}

// DependentOperations lists the operations with dependent actions,
// "<svc>.<Op>", sorted (for tests).
func DependentOperations() []string { return sortedKeys(dependentActions) }

// kmsUses: the KMS actions an operation needs on the key a resource of
// kind k is encrypted with (a customer managed key: AWS managed keys'
// policies allow the account's principals already). Sources: the S3,
// SQS, SNS and Secrets Manager developer guides (server-side encryption
// with KMS keys).
var kmsUses = map[string][]string{
	"s3:GetObject":                  {"kms:Decrypt"},
	"s3:PutObject":                  {"kms:GenerateDataKey", "kms:Decrypt"},
	"sqs:SendMessage":               {"kms:GenerateDataKey", "kms:Decrypt"},
	"sqs:ReceiveMessage":            {"kms:Decrypt"},
	"sns:Publish":                   {"kms:GenerateDataKey", "kms:Decrypt"},
	"secretsmanager:GetSecretValue": {"kms:Decrypt"},
	"secretsmanager:PutSecretValue": {"kms:GenerateDataKey", "kms:Decrypt"},
	"secretsmanager:CreateSecret":   {"kms:GenerateDataKey", "kms:Decrypt"},
	"secretsmanager:UpdateSecret":   {"kms:GenerateDataKey", "kms:Decrypt"},
}

// KMSActions returns the KMS actions action needs on the customer managed
// key of the resource it acts on (nil when none).
func KMSActions(action string) []string { return slices.Clone(kmsUses[action]) }

// KMSKeyProperty returns where a resource of CloudFormation type typ names
// its KMS key, as a path of property names ("" for types chalc does not
// read a key from). For S3 buckets the key is in the first rule of
// BucketEncryption.ServerSideEncryptionConfiguration (a list): the path
// stops at the list and KMSKey reads the rest.
func KMSKeyProperty(typ string) []string {
	switch typ {
	case "AWS::SQS::Queue", "AWS::SNS::Topic":
		return []string{"KmsMasterKeyId"}
	case "AWS::SecretsManager::Secret":
		return []string{"KmsKeyId"}
	case "AWS::S3::Bucket":
		return []string{"BucketEncryption", "ServerSideEncryptionConfiguration"}
	}
	return nil
}

// KMSKey returns the key (a literal or an intrinsic function, as the
// template writes it) a resource of type typ with properties props is
// encrypted with, nil when none or an AWS managed key (alias/aws/...).
func KMSKey(typ string, props map[string]any) any {
	path := KMSKeyProperty(typ)
	if path == nil {
		return nil
	}
	var v any = props
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	if typ == "AWS::S3::Bucket" {
		rules, _ := v.([]any)
		v = nil
		for _, r := range rules {
			rm, _ := r.(map[string]any)
			def, _ := rm["ServerSideEncryptionByDefault"].(map[string]any)
			if alg, _ := def["SSEAlgorithm"].(string); alg == "aws:kms" || alg == "aws:kms:dsse" {
				v = def["KMSMasterKeyID"]
				if v == nil {
					return nil // the AWS managed key aws/s3
				}
				break
			}
		}
	}
	if s, ok := v.(string); ok && (s == "" || len(s) > len("alias/aws/") && s[:len("alias/aws/")] == "alias/aws/") {
		return nil
	}
	return v
}
