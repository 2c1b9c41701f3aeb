package awsfacts

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// The resources of SDK calls. An operation's input names the resource it
// acts on in a field (a table's TableName, a bucket's Bucket, a queue's
// QueueUrl...); when the code sets that field from a constant or from an
// environment variable the function's configuration gives a value, the
// statement allowing the operation can name that resource instead of
// "*". These tables say which field names which kind of resource, and
// how each kind's ARN pattern is written (as an Fn::Sub template). Sources:
// the Service Authorization Reference ("Resource types defined by ...":
// the ARN formats) and each service's developer guide.

// ResourceKind is a kind of resource an input field names.
type ResourceKind string

// Resource kinds.
const (
	ResourceTable     ResourceKind = "table"     // a DynamoDB table's name (or ARN)
	ResourceBucket    ResourceKind = "bucket"    // an S3 bucket's name
	ResourceQueueURL  ResourceKind = "queue URL" // an SQS queue's URL
	ResourceQueueName ResourceKind = "queue"     // an SQS queue's name
	ResourceTopic     ResourceKind = "topic"     // an SNS topic's ARN
	ResourceParameter ResourceKind = "parameter" // an SSM parameter's name (or ARN)
	ResourceSecret    ResourceKind = "secret"    // a Secrets Manager secret's name or ARN
	ResourceRole      ResourceKind = "role"      // an IAM role's ARN
)

// resourceField is a field of a service's operation inputs that names
// the resource the operation acts on.
type resourceField struct {
	Field string
	Kind  ResourceKind
	// Only lists the operations it scopes (nil: every operation whose
	// input has the field, less Except).
	Only   []string
	Except map[string]string // operation → why it is not scoped by the field
}

var resourceFields = map[string][]resourceField{
	"dynamodb": {{Field: "TableName", Kind: ResourceTable}},
	"s3": {{Field: "Bucket", Kind: ResourceBucket, Except: map[string]string{
		"CopyObject":     "it also reads the object CopySource names, which chalc does not trace",
		"UploadPartCopy": "it also reads the object CopySource names, which chalc does not trace",
	}}},
	"sqs": {
		{Field: "QueueName", Kind: ResourceQueueName, Only: []string{"GetQueueUrl", "CreateQueue"}},
		{Field: "QueueUrl", Kind: ResourceQueueURL},
	},
	"sns": {{Field: "TopicArn", Kind: ResourceTopic}},
	// SSM's Name is also a document's, an association's...: only the
	// parameter operations.
	"ssm": {{Field: "Name", Kind: ResourceParameter, Only: []string{
		"GetParameter", "GetParameterHistory", "PutParameter", "DeleteParameter", "LabelParameterVersion", "UnlabelParameterVersion"}}},
	"secretsmanager": {{Field: "SecretId", Kind: ResourceSecret}},
}

// ResourceField returns the input field that names the resource op acts
// on, and its kind; field is "" when chalc does not scope the operation,
// why then says why when the service has such a field.
func ResourceField(service, op string) (field string, kind ResourceKind, why string) {
	for _, rf := range resourceFields[service] {
		if rf.Only != nil && !slices.Contains(rf.Only, op) {
			continue
		}
		if w, ok := rf.Except[op]; ok {
			return "", "", w
		}
		return rf.Field, rf.Kind, ""
	}
	return "", "", ""
}

// InputPaths lists the input fields of op that decide its resources and
// dependent actions: the SDK-call analysis learns what the code sets them
// to (those the input type has).
func InputPaths(service, op string) []string {
	var out []string
	if f, _, _ := ResourceField(service, op); f != "" {
		out = append(out, f)
	}
	for _, d := range dependentActions[service+"."+op] {
		if d.When != "" {
			out = append(out, d.When)
		}
		if d.Resource != "" {
			out = append(out, d.Resource)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// InputPathsDigest changes whenever InputPaths may answer differently:
// what the analysis records (and caches) depends on it.
func InputPathsDigest() string {
	h := sha256.New()
	for _, svc := range sortedKeys(resourceFields) {
		for _, rf := range resourceFields[svc] {
			fmt.Fprintf(h, "%s %s %v %v\n", svc, rf.Field, rf.Only, sortedKeys(rf.Except))
		}
	}
	for _, op := range sortedKeys(dependentActions) {
		for _, d := range dependentActions[op] {
			fmt.Fprintf(h, "%s %s %s\n", op, d.When, d.Resource)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Pseudo-parameter parts of ARN patterns (Fn::Sub).
const (
	arnHead    = "arn:${AWS::Partition}:"
	regionAcct = "${AWS::Region}:${AWS::AccountId}"
)

var (
	accountID     = lazy(`^\d{12}$`)
	tableName     = lazy(`^[a-zA-Z0-9_.-]{3,255}$`)
	parameterName = lazy(`^/?[a-zA-Z0-9_.\-/]{1,1000}$`)
	secretName    = lazy(`^[a-zA-Z0-9/_+=.@-]{1,512}$`)
	roleName      = lazy(`^[a-zA-Z0-9+=,.@_-]{1,64}$`)
	secretSuffix  = lazy(`-[a-zA-Z0-9]{6}$`)
)

// LiteralARNs returns the ARN patterns (Fn::Sub templates) of the
// resource of kind k that the value v names, or why it cannot.
func LiteralARNs(k ResourceKind, v string) ([]string, error) {
	if strings.Contains(v, "${") {
		return nil, fmt.Errorf("%q is not a %s name", v, k)
	}
	isARN := strings.HasPrefix(v, "arn:")
	switch k {
	case ResourceTable:
		if isARN && strings.Contains(v, ":table/") {
			return []string{v, v + "/index/*"}, nil
		}
		if tableName.MatchString(v) {
			p := arnHead + "dynamodb:" + regionAcct + ":table/" + v
			return []string{p, p + "/index/*"}, nil
		}
	case ResourceBucket:
		if BucketName.MatchString(v) {
			return []string{arnHead + "s3:::" + v, arnHead + "s3:::" + v + "/*"}, nil
		}
		if isARN {
			return nil, fmt.Errorf("%q is an ARN (an access point's): chalc scopes bucket names only", v)
		}
	case ResourceQueueURL:
		if arn, ok := queueURLARN(v); ok {
			return []string{arn}, nil
		}
		return nil, fmt.Errorf("%q is not an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<queue>)", v)
	case ResourceQueueName:
		if QueueName.MatchString(v) {
			return []string{arnHead + "sqs:" + regionAcct + ":" + v}, nil
		}
	case ResourceTopic:
		if isARN && strings.Contains(v, ":sns:") {
			return []string{v}, nil
		}
		return nil, fmt.Errorf("%q is not an SNS topic ARN", v)
	case ResourceParameter:
		if isARN && strings.Contains(v, ":parameter/") {
			return []string{v}, nil
		}
		if parameterName.MatchString(v) {
			if !strings.HasPrefix(v, "/") {
				v = "/" + v
			}
			return []string{arnHead + "ssm:" + regionAcct + ":parameter" + v}, nil
		}
	case ResourceSecret:
		if isARN && strings.Contains(v, ":secret:") {
			if !secretSuffix.MatchString(v) {
				v += "-??????" // a partial ARN: the secret's ARN ends with 6 random characters
			}
			return []string{v}, nil
		}
		if secretName.MatchString(v) {
			return []string{arnHead + "secretsmanager:" + regionAcct + ":secret:" + v + "-??????"}, nil
		}
	case ResourceRole:
		if isARN && strings.Contains(v, ":role/") {
			return []string{v}, nil
		}
		if roleName.MatchString(v) {
			return []string{arnHead + "iam::${AWS::AccountId}:role/" + v}, nil
		}
	}
	return nil, fmt.Errorf("%q is not a valid %s name", v, k)
}

// queueURLARN turns an SQS queue URL into its queue's ARN.
func queueURLARN(v string) (string, bool) {
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "https" {
		return "", false
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) != 2 || !QueueName.MatchString(parts[1]) || !accountID.MatchString(parts[0]) {
		return "", false
	}
	host := strings.Split(u.Hostname(), ".")
	region := ""
	switch {
	case len(host) >= 4 && host[0] == "sqs" && host[2] == "amazonaws": // sqs.<region>.amazonaws.com[.cn]
		region = host[1]
	case len(host) >= 4 && host[1] == "queue" && host[2] == "amazonaws": // <region>.queue.amazonaws.com (legacy)
		region = host[0]
	default:
		return "", false
	}
	return arnHead + "sqs:" + region + ":" + parts[0] + ":" + parts[1], true
}

// TemplateResource is a resource of the stack that an environment
// variable names with an intrinsic function.
type TemplateResource struct {
	ID   string // logical ID
	Type string // its CloudFormation type
	// Attr is the attribute read (GetAtt), "" for Ref.
	Attr string
	// Props are its Properties as the merge templates write them.
	Props map[string]any
}

// templateKinds: which resource types (and which of their values: "" Ref,
// else a GetAtt attribute) name a resource of each kind, and its ARN
// patterns from the logical ID.
var templateKinds = map[ResourceKind][]struct {
	types []string
	attrs []string
	arns  func(id string, props map[string]any) ([]string, error)
}{
	ResourceTable: {
		{[]string{"AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable", "AWS::Serverless::SimpleTable"}, []string{""},
			func(id string, _ map[string]any) ([]string, error) {
				p := arnHead + "dynamodb:" + regionAcct + ":table/${" + id + "}"
				return []string{p, p + "/index/*"}, nil
			}},
		{[]string{"AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"}, []string{"Arn"},
			func(id string, _ map[string]any) ([]string, error) {
				return []string{"${" + id + ".Arn}", "${" + id + ".Arn}/index/*"}, nil
			}},
	},
	ResourceBucket: {{[]string{"AWS::S3::Bucket"}, []string{""}, func(id string, _ map[string]any) ([]string, error) {
		return []string{arnHead + "s3:::${" + id + "}", arnHead + "s3:::${" + id + "}/*"}, nil
	}}},
	ResourceQueueURL: {{[]string{"AWS::SQS::Queue"}, []string{"", "QueueUrl"}, func(id string, _ map[string]any) ([]string, error) {
		return []string{"${" + id + ".Arn}"}, nil
	}}},
	ResourceQueueName: {{[]string{"AWS::SQS::Queue"}, []string{"QueueName"}, func(id string, _ map[string]any) ([]string, error) {
		return []string{"${" + id + ".Arn}"}, nil
	}}},
	ResourceTopic: {{[]string{"AWS::SNS::Topic"}, []string{"", "TopicArn"}, func(id string, _ map[string]any) ([]string, error) {
		return []string{"${" + id + "}"}, nil
	}}},
	ResourceParameter: {{[]string{"AWS::SSM::Parameter"}, []string{""}, func(id string, props map[string]any) ([]string, error) {
		// Ref is the name; a name with a leading / makes "parameter/x",
		// one without "parameter/x" too, after a slash chalc adds.
		switch name := props["Name"].(type) {
		case nil:
			return []string{arnHead + "ssm:" + regionAcct + ":parameter/${" + id + "}"}, nil
		case string:
			if strings.HasPrefix(name, "/") {
				return []string{arnHead + "ssm:" + regionAcct + ":parameter${" + id + "}"}, nil
			}
			return []string{arnHead + "ssm:" + regionAcct + ":parameter/${" + id + "}"}, nil
		}
		return nil, fmt.Errorf("its Name is not a plain string, so chalc cannot tell whether it starts with /")
	}}},
	ResourceSecret: {{[]string{"AWS::SecretsManager::Secret"}, []string{""}, func(id string, _ map[string]any) ([]string, error) {
		return []string{"${" + id + "}"}, nil
	}}},
	ResourceRole: {{[]string{"AWS::IAM::Role"}, []string{"Arn"}, func(id string, _ map[string]any) ([]string, error) {
		return []string{"${" + id + ".Arn}"}, nil
	}}},
}

// TemplateARNs returns the ARN patterns (Fn::Sub templates) of r, a
// resource of the stack read (Ref or GetAtt) into an input field naming
// a resource of kind k, or why it cannot tell them.
func TemplateARNs(k ResourceKind, r TemplateResource) ([]string, error) {
	for _, tk := range templateKinds[k] {
		if slices.Contains(tk.types, r.Type) && slices.Contains(tk.attrs, r.Attr) {
			return tk.arns(r.ID, r.Props)
		}
	}
	what := "!Ref " + r.ID
	if r.Attr != "" {
		what = "!GetAtt " + r.ID + "." + r.Attr
	}
	var want []string
	for _, tk := range templateKinds[k] {
		for _, a := range tk.attrs {
			for _, t := range tk.types {
				if a == "" {
					want = append(want, "!Ref of an "+t)
				} else {
					want = append(want, "!GetAtt "+a+" of an "+t)
				}
			}
		}
	}
	slices.Sort(want)
	return nil, fmt.Errorf("%s (%s) is not a %s chalc knows: it takes %s", what, r.Type, k, strings.Join(slices.Compact(want), ", "))
}
