package schema

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/chalc-dev/chalc/diag"
	"github.com/chalc-dev/chalc/manifest"
)

// check parses src as file, validates it (as a blueprint fragment when
// fragment is set) and renders the diagnostics as the CLI prints them.
func check(t testing.TB, file, src string, fragment bool) string {
	t.Helper()
	set, ds := manifest.Parsed(file, []byte(src))
	if len(ds) > 0 {
		var b strings.Builder
		diag.Fprint(&b, set.Sources, ds)
		t.Fatalf("the test's YAML does not parse:\n%s", b.String())
	}
	var got diag.Diagnostics
	if fragment {
		got = ValidateFragment(set.Root)
	} else {
		got = Validate(set.Root)
	}
	var b strings.Builder
	diag.Fprint(&b, set.Sources, got)
	return b.String()
}

// messageCase is YAML in, rendered diagnostics out. Inputs are whole files
// so the positions in want can be read off the input.
type messageCase struct {
	name     string
	fragment bool
	in       string
	want     string
}

func runMessageCases(t *testing.T, cases []messageCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := "chalice.yaml"
			if c.fragment {
				file = "chalicelib/admin.yaml"
			}
			got := check(t, file, strings.TrimPrefix(c.in, "\n"), c.fragment)
			if want := strings.TrimPrefix(c.want, "\n"); got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestMessages pins every message shape, rendered as the CLI prints it.
func TestMessages(t *testing.T) {
	runMessageCases(t, []messageCase{
		{
			name: "unknown key with a close match",
			in: `
version: 1
app_name: shop
lambda_timout: 30
`,
			want: `
chalice.yaml:3:1: error: unknown key "lambda_timout"
  3 | lambda_timout: 30
    | ^^^^^^^^^^^^^
  hint: did you mean "lambda_timeout"?

`,
		},
		{
			name: "unknown key listing the valid keys",
			in: `
version: 1
app_name: shop
api:
  binary_type: [image/png]
  strict: true
`,
			want: `
chalice.yaml:4:3: error: unknown key "binary_type"
  4 |   binary_type: [image/png]
    |   ^^^^^^^^^^^
  hint: did you mean "binary_types"?

chalice.yaml:5:3: error: unknown key "strict"
  5 |   strict: true
    |   ^^^^^^
  hint: valid keys here: binary_types, binary_types_replace_defaults, cors

`,
		},
		{
			name: "unknown key among many",
			in: `
version: 1
app_name: shop
verbose: true
`,
			want: `
chalice.yaml:3:1: error: unknown key "verbose"
  3 | verbose: true
    | ^^^^^^^

`,
		},
		{
			name: "unknown HTTP method",
			in: `
version: 1
app_name: shop
routes:
  /users:
    get: ListUsers
    ANY: Anything
`,
			want: `
chalice.yaml:5:5: error: unknown HTTP method "get"
  5 |     get: ListUsers
    |     ^^^
  hint: did you mean "GET"?

chalice.yaml:6:5: error: unknown HTTP method "ANY"
  6 |     ANY: Anything
    |     ^^^
  hint: valid HTTP methods here: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT

`,
		},
		{
			name: "app key in a stage",
			in: `
version: 1
app_name: shop
stages:
  prod:
    routes:
      /: {GET: Index}
    app_name: shop-prod
`,
			want: `
chalice.yaml:5:5: error: "routes" can only be set at the top level, not in a stage
  5 |     routes:
    |     ^^^^^^
  hint: move it to the top level of the file

chalice.yaml:7:5: error: "app_name" can only be set at the top level, not in a stage
  7 |     app_name: shop-prod
    |     ^^^^^^^^
  hint: move it to the top level of the file

`,
		},
		{
			name: "stage and app keys per function",
			in: `
version: 1
app_name: shop
lambda_functions:
  api_handler:
    debug: true
    lambda_timeout: 30
stages:
  prod:
    lambda_functions:
      api_handler: {functions: {}, architecture: arm64}
`,
			want: `
chalice.yaml:5:5: error: "debug" is a per-stage setting: set it at the top level or in a stage, not per function
  5 |     debug: true
    |     ^^^^^

chalice.yaml:10:21: error: "functions" can only be set at the top level, not per function
  10 |       api_handler: {functions: {}, architecture: arm64}
     |                     ^^^^^^^^^

chalice.yaml:10:36: error: "architecture" is a per-stage setting: set it at the top level or in a stage, not per function
  10 |       api_handler: {functions: {}, architecture: arm64}
     |                                    ^^^^^^^^^^^^

`,
		},
		{
			name: "setting inside a function definition",
			in: `
version: 1
app_name: shop
functions:
  report:
    handler: Report
    lambda_timeout: 300
    layers: [arn:aws:lambda:us-west-2:123456789012:layer:x:1]
`,
			want: `
chalice.yaml:6:5: error: "lambda_timeout" is a setting, not part of a function's definition: set it under lambda_functions:
  6 |     lambda_timeout: 300
    |     ^^^^^^^^^^^^^^
  hint: lambda_functions: {report: {lambda_timeout: 300}}

chalice.yaml:7:5: error: "layers" is a setting, not part of a function's definition: set it under lambda_functions:
  7 |     layers: [arn:aws:lambda:us-west-2:123456789012:layer:x:1]
    |     ^^^^^^
  hint: lambda_functions: {report: {layers: ...}}

`,
		},
		{
			name: "keys per authorizer type",
			in: `
version: 1
app_name: shop
authorizers:
  sigv4: {type: iam, header: Authorization}
  jwt: {type: builtin, name: JWT}
  pool: {type: cognito_user_pool, ttl_seconds: 60}
  ext: {type: custom, name: Ext}
  none: {handler: Check}
`,
			want: `
chalice.yaml:4:22: error: "header" does not apply to iam authorizers
  4 |   sigv4: {type: iam, header: Authorization}
    |                      ^^^^^^
  hint: iam authorizers take only type

chalice.yaml:5:3: error: handler is required in authorizer jwt: builtin authorizers need it
  5 |   jwt: {type: builtin, name: JWT}
    |   ^^^
  hint: for example: handler: CheckToken

chalice.yaml:5:24: error: "name" does not apply to builtin authorizers
  5 |   jwt: {type: builtin, name: JWT}
    |                        ^^^^
  hint: builtin authorizers take execution_role, handler, header, ttl_seconds and type

chalice.yaml:6:3: error: provider_arns is required in authorizer pool: cognito_user_pool authorizers need it
  6 |   pool: {type: cognito_user_pool, ttl_seconds: 60}
    |   ^^^^
  hint: for example: provider_arns: [arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_abc]

chalice.yaml:6:35: error: "ttl_seconds" does not apply to cognito_user_pool authorizers
  6 |   pool: {type: cognito_user_pool, ttl_seconds: 60}
    |                                   ^^^^^^^^^^^
  hint: cognito_user_pool authorizers take audience, header, name, provider_arns and type

chalice.yaml:7:3: error: authorizer_uri is required in authorizer ext: custom authorizers need it
  7 |   ext: {type: custom, name: Ext}
    |   ^^^
  hint: for example: authorizer_uri: arn:aws:apigateway:us-west-2:lambda:path/2015-03-31/functions/arn:aws:lambda:us-west-2:123456789012:function:auth/invocations

chalice.yaml:8:3: error: type is required in authorizer none
  8 |   none: {handler: Check}
    |   ^^^^
  hint: for example: type: builtin

`,
		},
		{
			name: "wrong scalar types",
			in: `
version: 1
app_name: shop
lambda_timeout: "30"
lambda_memory_size: lots
reserved_concurrency: 1.5
xray: "false"
api_gateway_stage: 1
debug: yes
`,
			want: `
chalice.yaml:3:17: error: lambda_timeout must be a whole number of seconds, not a string
  3 | lambda_timeout: "30"
    |                 ^^^^
  hint: remove the quotes: lambda_timeout: 30

chalice.yaml:4:21: error: lambda_memory_size must be a whole number of MB, not a string
  4 | lambda_memory_size: lots
    |                     ^^^^

chalice.yaml:5:23: error: reserved_concurrency must be a whole number, not 1.5
  5 | reserved_concurrency: 1.5
    |                       ^^^

chalice.yaml:6:7: error: xray must be true or false, not a string
  6 | xray: "false"
    |       ^^^^^^^
  hint: remove the quotes: xray: false

chalice.yaml:7:20: error: api_gateway_stage must be a string, not a number
  7 | api_gateway_stage: 1
    |                    ^
  hint: quote it: api_gateway_stage: "1"

chalice.yaml:8:8: error: debug must be true or false, not a string
  8 | debug: yes
    |        ^^^
  hint: write debug: true

`,
		},
		{
			name: "environment variable and tag values must be strings",
			in: `
version: 1
app_name: shop
environment_variables:
  PORT: 8080
  DEBUG: true
  RATIO: 0.5
tags: {cost-center: 4711}
stages:
  prod:
    lambda_functions:
      api_handler:
        environment_variables: {RETRIES: 3}
`,
			want: `
chalice.yaml:4:9: error: environment variable PORT must be a string, not a number
  4 |   PORT: 8080
    |         ^^^^
  hint: quote it: PORT: "8080"

chalice.yaml:5:10: error: environment variable DEBUG must be a string, not a boolean
  5 |   DEBUG: true
    |          ^^^^
  hint: quote it: DEBUG: "true"

chalice.yaml:6:10: error: environment variable RATIO must be a string, not a number
  6 |   RATIO: 0.5
    |          ^^^
  hint: quote it: RATIO: "0.5"

chalice.yaml:7:21: error: tag cost-center must be a string, not a number
  7 | tags: {cost-center: 4711}
    |                     ^^^^
  hint: quote it: cost-center: "4711"

chalice.yaml:12:42: error: environment variable RETRIES must be a string, not a number
  12 |         environment_variables: {RETRIES: 3}
     |                                          ^
  hint: quote it: RETRIES: "3"

`,
		},
		{
			name: "collections of the wrong type",
			in: `
version: 1
app_name: shop
layers: arn:aws:lambda:us-west-2:123456789012:layer:x:1
subnet_ids: [subnet-1, 2]
environment_variables: [A=1]
stages:
  prod: production
functions:
  report: Report
blueprints: [chalicelib/admin.yaml]
`,
			want: `
chalice.yaml:3:9: error: layers must be a list of strings, not a string
  3 | layers: arn:aws:lambda:us-west-2:123456789012:layer:x:1
    |         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

chalice.yaml:4:24: error: item 2 of subnet_ids must be a string, not a number
  4 | subnet_ids: [subnet-1, 2]
    |                        ^
  hint: quote it: "2"

chalice.yaml:5:24: error: environment_variables must be a mapping, not a list
  5 | environment_variables: [A=1]
    |                        ^^^^^

chalice.yaml:7:9: error: stage prod must be a mapping, not a string
  7 |   prod: production
    |         ^^^^^^^^^^

chalice.yaml:9:11: error: function report must be a mapping with handler:, not a string
  9 |   report: Report
    |           ^^^^^^
  hint: write report: {handler: Report}

chalice.yaml:10:14: error: blueprint 1 must be a mapping with manifest:, not a string
  10 | blueprints: [chalicelib/admin.yaml]
     |              ^^^^^^^^^^^^^^^^^^^^^
  hint: write - manifest: chalicelib/admin.yaml

`,
		},
		{
			name: "enums",
			in: `
version: 1
app_name: shop
log_level: WARN
architecture: ARM64
api_gateway_endpoint_type: regional
log_retention_in_days: 10
api_gateway_custom_domain:
  domain_name: api.example.com
  certificate_arn: arn:aws:acm:us-east-1:123456789012:certificate/abc
  tls_version: TLS_1_3
middleware:
  - {handler: Timing, event_type: lambda}
functions:
  clicks:
    handler: OnClick
    kinesis: {stream: clicks, starting_position: AT_TIMESTAMP}
`,
			want: `
chalice.yaml:3:12: error: log_level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not "WARN"
  3 | log_level: WARN
    |            ^^^^
  hint: did you mean "WARNING"?

chalice.yaml:4:15: error: architecture must be one of x86_64, arm64, not "ARM64"
  4 | architecture: ARM64
    |               ^^^^^
  hint: did you mean "arm64"?

chalice.yaml:5:28: error: api_gateway_endpoint_type must be one of EDGE, REGIONAL, PRIVATE, not "regional"
  5 | api_gateway_endpoint_type: regional
    |                            ^^^^^^^^
  hint: did you mean "REGIONAL"?

chalice.yaml:6:24: error: log_retention_in_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (days), not 10
  6 | log_retention_in_days: 10
    |                        ^^
  hint: the nearest allowed values are 7 and 14

chalice.yaml:10:16: error: tls_version must be one of TLS_1_0, TLS_1_2, not "TLS_1_3"
  10 |   tls_version: TLS_1_3
     |                ^^^^^^^

chalice.yaml:12:35: error: event_type must be one of all, http, s3, sns, sqs, cloudwatch, scheduled, kinesis, dynamodb, websocket, pure_lambda, not "lambda"
  12 |   - {handler: Timing, event_type: lambda}
     |                                   ^^^^^^
  hint: did you mean "pure_lambda"?

chalice.yaml:16:50: error: starting_position must be one of TRIM_HORIZON, LATEST, not "AT_TIMESTAMP"
  16 |     kinesis: {stream: clicks, starting_position: AT_TIMESTAMP}
     |                                                  ^^^^^^^^^^^^

`,
		},
		{
			name: "ranges",
			in: `
version: 1
app_name: shop
lambda_memory_size: 20000
lambda_timeout: 0
reserved_concurrency: -1
minimum_compression_size: 10485761
api: {cors: {max_age: -5}}
authorizers:
  jwt: {type: builtin, handler: Check, ttl_seconds: 7200}
functions:
  jobs:
    handler: OnJob
    sqs: {queue: jobs, batch_size: 0, maximum_batching_window_in_seconds: 301, maximum_concurrency: 1}
  clicks:
    handler: OnClick
    kinesis: {stream: clicks, batch_size: 10001}
  changes:
    handler: OnChange
    dynamodb: {stream_arn: arn, batch_size: 20000}
`,
			want: `
chalice.yaml:3:21: error: lambda_memory_size must be between 128 and 10240 (MB), not 20000
  3 | lambda_memory_size: 20000
    |                     ^^^^^

chalice.yaml:4:17: error: lambda_timeout must be between 1 and 900 (seconds), not 0
  4 | lambda_timeout: 0
    |                 ^

chalice.yaml:5:23: error: reserved_concurrency must be 0 or more, not -1
  5 | reserved_concurrency: -1
    |                       ^^

chalice.yaml:6:27: error: minimum_compression_size must be between 0 and 10485760 (bytes), not 10485761
  6 | minimum_compression_size: 10485761
    |                           ^^^^^^^^

chalice.yaml:7:23: error: max_age must be 0 or more (seconds), not -5
  7 | api: {cors: {max_age: -5}}
    |                       ^^

chalice.yaml:9:53: error: ttl_seconds must be between 0 and 3600 (seconds), not 7200
  9 |   jwt: {type: builtin, handler: Check, ttl_seconds: 7200}
    |                                                     ^^^^

chalice.yaml:13:36: error: batch_size must be between 1 and 10000, not 0
  13 |     sqs: {queue: jobs, batch_size: 0, maximum_batching_window_in_seconds: 301, maximum_concurrency: 1}
     |                                    ^

chalice.yaml:13:75: error: maximum_batching_window_in_seconds must be between 0 and 300 (seconds), not 301
  13 |     sqs: {queue: jobs, batch_size: 0, maximum_batching_window_in_seconds: 301, maximum_concurrency: 1}
     |                                                                           ^^^

chalice.yaml:13:101: error: maximum_concurrency must be between 2 and 1000, not 1
  13 |     sqs: {queue: jobs, batch_size: 0, maximum_batching_window_in_seconds: 301, maximum_concurrency: 1}
     |                                                                                                     ^

chalice.yaml:16:43: error: batch_size must be between 1 and 10000, not 10001
  16 |     kinesis: {stream: clicks, batch_size: 10001}
     |                                           ^^^^^

chalice.yaml:19:45: error: batch_size must be between 1 and 10000, not 20000
  19 |     dynamodb: {stream_arn: arn, batch_size: 20000}
     |                                             ^^^^^

`,
		},
		{
			name: "required keys",
			in: `
# no version, no app_name
# (sns: {} and dynamodb: {} lack one of two keys: the compiler says so)
functions:
  report: {schedule: rate(1 hour)}
  tick: {handler: Tick, schedule: {description: every hour}}
  commit: {handler: OnCommit, cloudwatch_event: {}}
routes:
  /:
    GET: {authorizer: jwt}
blueprints:
  - url_prefix: /admin
stages:
  prod:
    api_gateway_custom_domain: {domain_name: api.example.com}
`,
			want: `
chalice.yaml:1: error: app_name is required
  hint: for example: app_name: petstore

chalice.yaml:1: error: version is required
  hint: for example: version: 1

chalice.yaml:4:3: error: handler is required in function report
  4 |   report: {schedule: rate(1 hour)}
    |   ^^^^^^
  hint: for example: handler: Report

chalice.yaml:5:25: error: expression is required in schedule of function tick
  5 |   tick: {handler: Tick, schedule: {description: every hour}}
    |                         ^^^^^^^^
  hint: for example: expression: rate(1 hour)

chalice.yaml:6:31: error: event_pattern is required in cloudwatch_event of function commit
  6 |   commit: {handler: OnCommit, cloudwatch_event: {}}
    |                               ^^^^^^^^^^^^^^^^
  hint: for example: event_pattern: {source: [aws.codecommit]}

chalice.yaml:9:5: error: handler is required in route GET /
  9 |     GET: {authorizer: jwt}
    |     ^^^
  hint: for example: handler: GetUser

chalice.yaml:11:5: error: manifest is required in blueprint 1
  11 |   - url_prefix: /admin
     |     ^^^^^^^^^^
  hint: for example: manifest: chalicelib/admin.yaml

chalice.yaml:14:5: error: certificate_arn is required in api_gateway_custom_domain
  14 |     api_gateway_custom_domain: {domain_name: api.example.com}
     |     ^^^^^^^^^^^^^^^^^^^^^^^^^
  hint: for example: certificate_arn: arn:aws:acm:us-east-1:123456789012:certificate/abc

`,
		},
		{
			name: "explicit nulls",
			in: `
version: 1
app_name: shop
lambda_timeout: null
handlers:
environment_variables:
  TABLE: ~
layers: [arn:aws:lambda:us-west-2:123456789012:layer:x:1, null]
functions:
  report:
stages:
  prod: ~
`,
			want: `
chalice.yaml:3:1: error: lambda_timeout is null; remove the key or give it a value
  3 | lambda_timeout: null
    | ^^^^^^^^^^^^^^

chalice.yaml:4:1: error: handlers is null; remove the key or give it a value
  4 | handlers:
    | ^^^^^^^^

chalice.yaml:6:3: error: environment variable TABLE is null; remove the key or give it a value
  6 |   TABLE: ~
    |   ^^^^^

chalice.yaml:7:59: error: item 2 of layers is null; remove it or give it a value
  7 | layers: [arn:aws:lambda:us-west-2:123456789012:layer:x:1, null]
    |                                                           ^^^^

chalice.yaml:9:3: error: function report is null; remove the key or give it a value
  9 |   report:
    |   ^^^^^^

chalice.yaml:11:3: error: stage prod is null; remove the key or give it a value
  11 |   prod: ~
     |   ^^^^

`,
		},
		{
			name: "stage values and intrinsics",
			in: `
version: 1
app_name: shop
authorizers:
  jwt: {type: builtin, handler: Check, ttl_seconds: "${env:AUTH_TTL}"}
  ext: {type: custom, authorizer_uri: x, ttl_seconds: "300"}
  other: {type: custom, authorizer_uri: x, ttl_seconds: soon}
api:
  cors: {max_age: "${env:MAX_AGE}"}
environment_variables:
  TABLE: !Ref MusicTable
  QUEUE: {"Fn::GetAtt": [Jobs, Arn]}
  TYPO: {"Fn::GetAttr": [Jobs, Arn]}
  TWO: {Ref: A, "Fn::Sub": b}
`,
			want: `
chalice.yaml:5:55: error: ttl_seconds must be a number, or a string holding a placeholder such as "${env:NAME}", not "300"
  5 |   ext: {type: custom, authorizer_uri: x, ttl_seconds: "300"}
    |                                                       ^^^^^
  hint: remove the quotes: ttl_seconds: 300

chalice.yaml:6:57: error: ttl_seconds must be a number, or a string holding a placeholder such as "${env:NAME}", not "soon"
  6 |   other: {type: custom, authorizer_uri: x, ttl_seconds: soon}
    |                                                         ^^^^

chalice.yaml:12:10: error: unknown intrinsic function "Fn::GetAttr"
  12 |   TYPO: {"Fn::GetAttr": [Jobs, Arn]}
     |          ^^^^^^^^^^^^^
  hint: did you mean "Fn::GetAtt"?

chalice.yaml:13:8: error: environment variable TWO has 2 keys; it takes 1
  13 |   TWO: {Ref: A, "Fn::Sub": b}
     |        ^^^^^^^^^^^^^^^^^^^^^^
  hint: an intrinsic function is a mapping of one function to its argument, such as {Ref: MusicTable}

`,
		},
		{
			name: "one form picked from the value",
			in: `
version: 1
app_name: shop
api:
  cors: {allow_origin: "*", allow_header: [X-Custom]}
routes:
  /users:
    GET: {handler: ListUsers, api_key_required: "yes", cors: sometimes}
    POST: 42
    PUT: [PutUser]
  /orders: ListOrders
functions:
  tick:
    handler: Tick
    schedule: 5
  tock:
    handler: Tock
    schedule: {expression: rate(1 hour), desc: hourly}
middleware:
  - 5
  - {event_type: http}
api_gateway_endpoint_vpce: {id: vpce-1}
`,
			want: `
chalice.yaml:4:29: error: unknown key "allow_header"
  4 |   cors: {allow_origin: "*", allow_header: [X-Custom]}
    |                             ^^^^^^^^^^^^
  hint: did you mean "allow_headers"?

chalice.yaml:7:49: error: api_key_required must be true or false, not a string
  7 |     GET: {handler: ListUsers, api_key_required: "yes", cors: sometimes}
    |                                                 ^^^^^
  hint: write api_key_required: true

chalice.yaml:7:62: error: cors must be true, false or a mapping of CORS settings, not a string
  7 |     GET: {handler: ListUsers, api_key_required: "yes", cors: sometimes}
    |                                                              ^^^^^^^^^

chalice.yaml:8:11: error: route POST /users must be a handler name or a mapping with handler:, not a number
  8 |     POST: 42
    |           ^^

chalice.yaml:9:10: error: route PUT /users must be a handler name or a mapping with handler:, not a list
  9 |     PUT: [PutUser]
    |          ^^^^^^^^^

chalice.yaml:10:12: error: path /orders must be a mapping of HTTP methods to handlers, not a string
  10 |   /orders: ListOrders
     |            ^^^^^^^^^^
  hint: write /orders: {GET: ListOrders}

chalice.yaml:14:15: error: schedule of function tick must be a schedule expression such as rate(1 hour) or a mapping with expression:, not a number
  14 |     schedule: 5
     |               ^

chalice.yaml:17:42: error: unknown key "desc"
  17 |     schedule: {expression: rate(1 hour), desc: hourly}
     |                                          ^^^^
  hint: did you mean "description"?

chalice.yaml:19:5: error: middleware entry 1 must be a handler name or a mapping with handler:, not a number
  19 |   - 5
     |     ^

chalice.yaml:20:5: error: handler is required in middleware entry 2
  20 |   - {event_type: http}
     |     ^^^^^^^^^^^^^^^^^^
  hint: for example: handler: Timing

chalice.yaml:21:28: error: api_gateway_endpoint_vpce must be a VPC endpoint ID or a list of them, not a mapping
  21 | api_gateway_endpoint_vpce: {id: vpce-1}
     |                            ^^^^^^^^^^^^

`,
		},
		{
			name: "names and patterns",
			in: `
version: 1
app_name: my shop
functions:
  daily report: {handler: Report}
authorizers:
  "jwt:v2": {type: iam}
lambda_functions:
  api.handler: {lambda_timeout: 10}
stages:
  prod/eu: {}
blueprints:
  - {manifest: admin.yaml, name_prefix: "admin."}
`,
			want: `
chalice.yaml:2:11: error: app_name may only contain letters, digits, "_" and "-", not "my shop"
  2 | app_name: my shop
    |           ^^^^^^^
  hint: write app_name: my-shop

chalice.yaml:4:3: error: function name "daily report" may only contain letters, digits, "_" and "-"
  4 |   daily report: {handler: Report}
    |   ^^^^^^^^^^^^

chalice.yaml:6:3: error: authorizer name "jwt:v2" may only contain letters, digits, "_" and "-"
  6 |   "jwt:v2": {type: iam}
    |   ^^^^^^^^

chalice.yaml:8:3: error: function name "api.handler" may only contain letters, digits, "_" and "-"
  8 |   api.handler: {lambda_timeout: 10}
    |   ^^^^^^^^^^^

chalice.yaml:10:3: error: stage name "prod/eu" may only contain letters, digits, "_" and "-"
  10 |   prod/eu: {}
     |   ^^^^^^^

chalice.yaml:12:41: error: name_prefix may only contain letters, digits, "_" and "-", not "admin."
  12 |   - {manifest: admin.yaml, name_prefix: "admin."}
     |                                         ^^^^^^^^
  hint: write name_prefix: admin-

`,
		},
		{
			name: "empty name",
			in: `
version: 1
app_name: ""
`,
			want: `
chalice.yaml:2:11: error: app_name must not be empty
  2 | app_name: ""
    |           ^^

`,
		},
		{
			name: "version",
			in: `
version: 2
app_name: shop
stages:
  prod:
    lambda_functions:
      api_handler: {lambda_timeout: "1"}
`,
			want: `
chalice.yaml:1:10: error: version must be 1, not 2
  1 | version: 2
    |          ^

chalice.yaml:6:37: error: lambda_timeout must be a whole number of seconds, not a string
  6 |       api_handler: {lambda_timeout: "1"}
    |                                     ^^^
  hint: remove the quotes: lambda_timeout: 1

`,
		},
		{
			name: "version as a string",
			in: `
version: "1"
app_name: shop
`,
			want: `
chalice.yaml:1:10: error: version must be 1, not "1"
  1 | version: "1"
    |          ^^^
  hint: remove the quotes: version: 1

`,
		},
		{
			name: "a string where a list of strings goes",
			in: `
version: 1
app_name: shop
api:
  binary_types: application/pdf
`,
			want: `
chalice.yaml:4:17: error: binary_types must be a list of strings, not a string
  4 |   binary_types: application/pdf
    |                 ^^^^^^^^^^^^^^^
  hint: write binary_types: [application/pdf]

`,
		},
		{
			name: "method written directly under routes",
			in: `
version: 1
app_name: shop
routes:
  GET: ListAuthors
  post:
    handler: CreateAuthor
    cors: true
  /authors:
    GET: ListAuthors
`,
			want: `
chalice.yaml:4:3: error: "GET" is an HTTP method, not a path
  4 |   GET: ListAuthors
    |   ^^^
  hint: methods go under their path: /PATH: {GET: ListAuthors}

chalice.yaml:5:3: error: "post" is an HTTP method, not a path
  5 |   post:
    |   ^^^^
  hint: methods go under their path: /PATH: {POST: ...}

`,
		},
		{
			name: "path without methods",
			in: `
version: 1
app_name: shop
routes:
  /health: {}
`,
			want: `
chalice.yaml:4:12: error: path /health has no HTTP methods
  4 |   /health: {}
    |            ^^
  hint: add one, for example: /health: {GET: Health}

`,
		},
		{
			name: "string too long",
			in: `
version: 1
app_name: shop
functions:
  nightly:
    handler: Nightly
    schedule:
      expression: rate(1 day)
      description: ` + strings.Repeat("x", 513) + `
`,
			want: `
chalice.yaml:8:20: error: description is 513 characters long; the limit is 512
  8 |       description: ` + strings.Repeat("x", 101) + `…
    |                    ` + strings.Repeat("^", 101) + `

`,
		},
		{
			name: "API Gateway stage name",
			in: `
version: 1
app_name: shop
api_gateway_stage: v1 beta
`,
			want: `
chalice.yaml:3:20: error: api_gateway_stage may only contain letters, digits, "_" and "-", not "v1 beta"
  3 | api_gateway_stage: v1 beta
    |                    ^^^^^^^
  hint: write api_gateway_stage: v1-beta

`,
		},
		{
			name: "event pattern value not in a list",
			in: `
version: 1
app_name: shop
functions:
  on_ec2:
    handler: OnEC2
    cloudwatch_event:
      event_pattern:
        source: aws.ec2
        detail:
          state: running
          code: 5
        detail-type: ["EC2 Instance State-change Notification"]
        $or:
          - account: ["123456789012"]
`,
			want: `
chalice.yaml:8:17: error: event_pattern field source must be a list of values to match or a mapping of nested fields, not a string
  8 |         source: aws.ec2
    |                 ^^^^^^^
  hint: write source: [aws.ec2]

chalice.yaml:10:18: error: event_pattern field state must be a list of values to match or a mapping of nested fields, not a string
  10 |           state: running
     |                  ^^^^^^^
  hint: write state: [running]

chalice.yaml:11:17: error: event_pattern field code must be a list of values to match or a mapping of nested fields, not a number
  11 |           code: 5
     |                 ^
  hint: write code: [5]

`,
		},
		{
			name: "not a mapping",
			in: `
- version: 1
- app_name: shop
`,
			want: `
chalice.yaml:1:1: error: the manifest must be a mapping of keys such as version: and app_name:, not a list
  1 | - version: 1
    | ^

`,
		},
		{
			name: "null document",
			in: `
~
`,
			want: `
chalice.yaml:1:1: error: the manifest is empty
  1 | ~
    | ^
  hint: it must be a mapping of keys such as version: and app_name:

`,
		},
		{
			name: "numbers and dates YAML reads differently",
			in: `
version: 1
app_name: shop
lambda_timeout: 60.0
lambda_memory_size: 1_024
api_gateway_stage: 2024-01-01
tags: {released: 2024-01-01}
minimum_compression_size: 1e3
reserved_concurrency: 99999999999999999999
stages:
  prod:
    lambda_timeout: -.inf
    environment_variables: {RATIO: .nan}
`,
			want: `
chalice.yaml:3:17: error: lambda_timeout must be a whole number of seconds, not 60.0
  3 | lambda_timeout: 60.0
    |                 ^^^^
  hint: write 60

chalice.yaml:5:20: error: api_gateway_stage must be a string; YAML reads 2024-01-01 as a date
  5 | api_gateway_stage: 2024-01-01
    |                    ^^^^^^^^^^
  hint: quote it: api_gateway_stage: "2024-01-01"

chalice.yaml:6:18: error: tag released must be a string; YAML reads 2024-01-01 as a date
  6 | tags: {released: 2024-01-01}
    |                  ^^^^^^^^^^
  hint: quote it: released: "2024-01-01"

chalice.yaml:7:27: error: minimum_compression_size must be a whole number of bytes, not 1e3
  7 | minimum_compression_size: 1e3
    |                           ^^^
  hint: write 1000

chalice.yaml:8:23: error: reserved_concurrency is too large: 99999999999999999999
  8 | reserved_concurrency: 99999999999999999999
    |                       ^^^^^^^^^^^^^^^^^^^^

chalice.yaml:11:21: error: lambda_timeout must be between 1 and 900 (seconds), not -.inf
  11 |     lambda_timeout: -.inf
     |                     ^^^^^

chalice.yaml:12:36: error: environment variable RATIO must be a string, not a number
  12 |     environment_variables: {RATIO: .nan}
     |                                    ^^^^
  hint: quote it: RATIO: ".nan"

`,
		},
		{
			name:     "fragment with app keys",
			fragment: true,
			in: `
handlers: ../admin
version: 1
app_name: admin
lambda_timeout: 30
websocket: {connect: OnConnect}
stages: {}
blueprints:
  - manifest: more.yaml
`,
			want: `
chalicelib/admin.yaml:2:1: error: blueprint fragments cannot set "version"; set it in the app's chalice.yaml
  2 | version: 1
    | ^^^^^^^

chalicelib/admin.yaml:3:1: error: blueprint fragments cannot set "app_name"; set it in the app's chalice.yaml
  3 | app_name: admin
    | ^^^^^^^^

chalicelib/admin.yaml:4:1: error: blueprint fragments cannot set "lambda_timeout"; set it in the app's chalice.yaml
  4 | lambda_timeout: 30
    | ^^^^^^^^^^^^^^

chalicelib/admin.yaml:5:1: error: blueprint fragments cannot set "websocket"; set it in the app's chalice.yaml
  5 | websocket: {connect: OnConnect}
    | ^^^^^^^^^

chalicelib/admin.yaml:6:1: error: blueprint fragments cannot set "stages"; set it in the app's chalice.yaml
  6 | stages: {}
    | ^^^^^^

chalicelib/admin.yaml:7:1: error: blueprint fragments cannot register blueprints; fragments do not nest
  7 | blueprints:
    | ^^^^^^^^^^
  hint: register every fragment in the app's blueprints: list

`,
		},
		{
			name:     "fragment with unknown keys",
			fragment: true,
			in: `
route:
  /stats: {GET: Stats}
extra: 1
`,
			want: `
chalicelib/admin.yaml:1:1: error: unknown key "route"
  1 | route:
    | ^^^^^
  hint: did you mean "routes"?

chalicelib/admin.yaml:3:1: error: unknown key "extra"
  3 | extra: 1
    | ^^^^^
  hint: valid keys here: authorizers, functions, handlers, middleware, routes

`,
		},
		{
			name:     "fragment contents checked like the app's",
			fragment: true,
			in: `
routes:
  /stats:
    GET: {handler: Stats, authoriser: admin}
functions:
  cleanup:
    handler: Cleanup
    sqs: {queue: q, batch_size: 0}
authorizers:
  admin: {type: builtin}
middleware:
  - {handler: Audit, event_type: HTTP}
`,
			want: `
chalicelib/admin.yaml:3:27: error: unknown key "authoriser"
  3 |     GET: {handler: Stats, authoriser: admin}
    |                           ^^^^^^^^^^
  hint: did you mean "authorizer"?

chalicelib/admin.yaml:7:33: error: batch_size must be between 1 and 10000, not 0
  7 |     sqs: {queue: q, batch_size: 0}
    |                                 ^

chalicelib/admin.yaml:9:3: error: handler is required in authorizer admin: builtin authorizers need it
  9 |   admin: {type: builtin}
    |   ^^^^^
  hint: for example: handler: CheckToken

chalicelib/admin.yaml:11:34: error: event_type must be one of all, http, s3, sns, sqs, cloudwatch, scheduled, kinesis, dynamodb, websocket, pure_lambda, not "HTTP"
  11 |   - {handler: Audit, event_type: HTTP}
     |                                  ^^^^
  hint: did you mean "http"?

`,
		},
		{
			name:     "fragment not a mapping",
			fragment: true,
			in: `
just a string
`,
			want: `
chalicelib/admin.yaml:1:1: error: the blueprint fragment must be a mapping of keys such as routes: and functions:, not a string
  1 | just a string
    | ^^^^^^^^^^^^^

`,
		},
	})
}

func TestJSON(t *testing.T) {
	file, err := os.ReadFile("chalice.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(JSON(), file) {
		t.Error("JSON() differs from chalice.schema.json")
	}
	var doc map[string]any
	if err := json.Unmarshal(JSON(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["$schema"] != "https://json-schema.org/draft/2020-12/schema" || doc["$id"] != ID {
		t.Errorf("$schema = %v, $id = %v", doc["$schema"], doc["$id"])
	}
	load() // panics if the schema does not compile
}

// schemaObjects calls fn for every schema object of the document with its
// JSON pointer, following only keywords that hold schemas.
func schemaObjects(ptr string, v any, fn func(ptr string, s map[string]any)) {
	s, ok := v.(map[string]any)
	if !ok {
		return // a boolean schema
	}
	fn(ptr, s)
	for _, kw := range []string{"properties", "patternProperties", "$defs"} {
		m, _ := s[kw].(map[string]any)
		for _, k := range sortedKeys(m) {
			schemaObjects(ptr+"/"+kw+"/"+k, m[k], fn)
		}
	}
	for _, kw := range []string{"items", "additionalProperties", "if", "then", "else", "not"} {
		if sub, ok := s[kw]; ok {
			schemaObjects(ptr+"/"+kw, sub, fn)
		}
	}
	for _, kw := range []string{"oneOf", "anyOf", "allOf"} {
		list, _ := s[kw].([]any)
		for i, sub := range list {
			schemaObjects(ptr+"/"+kw+"/"+string(rune('0'+i)), sub, fn)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Editors show descriptions: every property must have one, its own or its
// $ref target's. (The authorizer's if/then cases are conditions: their
// properties are not keys of their own.)
func TestEveryPropertyDescribed(t *testing.T) {
	r := load().raw
	n := 0
	schemaObjects("#", map[string]any(r.root), func(ptr string, s map[string]any) {
		if strings.Contains(ptr, "/if") || strings.Contains(ptr, "/then") {
			return
		}
		props, _ := s["properties"].(map[string]any)
		for _, k := range sortedKeys(props) {
			p, ok := props[k].(map[string]any)
			if !ok {
				continue
			}
			n++
			if d := r.str(p, "description"); strings.TrimSpace(d) == "" {
				t.Errorf("%s/properties/%s has no description", ptr, k)
			}
		}
	})
	if n < 100 {
		t.Errorf("only %d properties found; is the walk broken?", n)
	}
}

// The messages cover these keywords and no others; a new keyword needs a
// message in report.go first (and the validator, validator.go, must
// implement it: it refuses keywords it does not know).
func TestSchemaKeywords(t *testing.T) {
	known := map[string]bool{}
	for _, k := range strings.Fields(`$schema $id $ref $defs $comment title description default examples
		type properties patternProperties additionalProperties items required oneOf allOf if then
		enum const minimum maximum pattern maxLength minProperties maxProperties not
		x-chalc-place x-chalc-name x-chalc-keys x-chalc-expect x-chalc-fix x-chalc-unit x-chalc-context
		x-chalc-misplaced x-chalc-stage`) {
		known[k] = true
	}
	schemaObjects("#", map[string]any(load().raw.root), func(ptr string, s map[string]any) {
		for _, k := range sortedKeys(s) {
			if !known[k] {
				t.Errorf("%s: keyword %q has no message, or the validator does not implement it (validator.go)", ptr, k)
			}
		}
	})
}

func TestPatternsWorded(t *testing.T) {
	schemaObjects("#", map[string]any(load().raw.root), func(ptr string, s map[string]any) {
		if p, ok := s["pattern"].(string); ok && patternText[p] == "" {
			t.Errorf("%s: pattern %q has no wording in patternText", ptr, p)
		}
		pp, _ := s["patternProperties"].(map[string]any)
		for p := range pp {
			if patternText[p] == "" {
				t.Errorf("%s: pattern %q has no wording in patternText", ptr, p)
			}
			if s["x-chalc-keys"] == nil && p != "^x-" {
				t.Errorf("%s: patternProperties without x-chalc-keys", ptr)
			}
		}
	})
}

// TestKeyPlaces pins docs/manifest.md's "Keys and stages" table.
func TestKeyPlaces(t *testing.T) {
	app := strings.Fields("version app_name handlers api routes authorizers functions websocket middleware blueprints stages")
	perStage := strings.Fields(`api_kind api_access_log debug log_level architecture automatic_layer api_gateway_stage api_gateway_endpoint_type
		api_gateway_endpoint_vpce api_gateway_policy_file minimum_compression_size api_gateway_custom_domain
		websocket_api_custom_domain`)
	perFunction := strings.Fields(`environment_variables tags lambda_memory_size lambda_timeout layers
		reserved_concurrency subnet_ids security_group_ids manage_iam_role iam_role_arn autogen_policy
		iam_policy_file extra_iam_actions xray log_retention_in_days`)
	fragment := strings.Fields("handlers routes authorizers functions middleware")
	set := func(lists ...[]string) []string {
		var out []string
		for _, l := range lists {
			out = append(out, l...)
		}
		sort.Strings(out)
		return out
	}
	r := load().raw
	for _, c := range []struct {
		ptr  string
		want []string
	}{
		{"#", set(app, perStage, perFunction, []string{"lambda_functions"})},
		{"#/$defs/stage", set(perStage, perFunction, []string{"lambda_functions"})},
		{"#/$defs/functionSettings", set(perFunction)},
		{"#/$defs/fragment", set(fragment)},
	} {
		if got := r.properties(r.ptr(c.ptr)); !slices.Equal(got, c.want) {
			t.Errorf("%s allows %v\nwant %v", c.ptr, got, c.want)
		}
	}
}

// Every file in testdata/manifests/valid validates clean, and so does the
// fragment full.yaml registers.
func TestValidManifests(t *testing.T) {
	files, err := filepath.Glob("../testdata/manifests/valid/*.yaml")
	if err != nil || len(files) < 4 {
		t.Fatalf("valid manifests: %v %v", files, err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if got := check(t, filepath.Base(f), string(src), false); got != "" {
			t.Errorf("%s:\n%s", f, got)
		}
	}
	src, err := os.ReadFile("../testdata/manifests/valid/chalicelib/admin.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := check(t, "chalicelib/admin.yaml", string(src), true); got != "" {
		t.Errorf("fragment:\n%s", got)
	}
}

// TestFullSetsEveryField decodes full.yaml (with its fragment) and fails
// on any Value, List or Map field of the typed model that no entry sets:
// the schema and the decoder must agree on every key name, and full.yaml
// must use every key.
func TestFullSetsEveryField(t *testing.T) {
	set, ds := manifest.Load("../testdata/manifests/valid/full.yaml")
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	for _, d := range append([]*manifest.Document{set.Root}, set.Fragments...) {
		validate := Validate
		if d != set.Root {
			validate = ValidateFragment
		}
		if got := validate(d); len(got) > 0 {
			var b strings.Builder
			diag.Fprint(&b, set.Sources, got)
			t.Fatalf("%s does not validate:\n%s", d.Filename, b.String())
		}
	}
	if len(set.Fragments) != 1 {
		t.Fatalf("full.yaml should reach one fragment, got %d", len(set.Fragments))
	}
	m := set.Decode()

	// Fields that cannot be set by a valid manifest.
	exempt := map[string]bool{
		"Fragment.Nested": true, // fragments do not nest: only set to report it
	}
	fields := map[string]bool{} // "Type.Field" -> set somewhere
	pkg := reflect.TypeOf(manifest.Manifest{}).PkgPath()
	isLeaf := func(t reflect.Type) bool {
		if t.Kind() != reflect.Struct {
			return false
		}
		f, ok := t.FieldByName("Set")
		return ok && f.Type.Kind() == reflect.Bool
	}
	// Register every leaf field of every model type first, so a type that
	// full.yaml never reaches still has its fields reported.
	seenType := map[reflect.Type]bool{}
	var register func(t reflect.Type)
	register = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t.PkgPath() != pkg || isLeaf(t) || seenType[t] {
			return
		}
		seenType[t] = true
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			ft := f.Type
			if ft.Kind() == reflect.Slice && isLeaf(ft.Elem()) {
				ft = ft.Elem()
			}
			if isLeaf(ft) && !exempt[t.Name()+"."+f.Name] {
				fields[t.Name()+"."+f.Name] = false
			}
			register(f.Type)
		}
	}
	register(reflect.TypeOf(m))
	seenPtr := map[uintptr]bool{}
	var visit func(v reflect.Value)
	visit = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() || seenPtr[v.Pointer()] {
				return
			}
			seenPtr[v.Pointer()] = true
			visit(v.Elem())
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				visit(v.Index(i))
			}
		case reflect.Struct:
			t := v.Type()
			if t.PkgPath() != pkg || isLeaf(t) {
				return
			}
			for i := 0; i < t.NumField(); i++ {
				name := t.Name() + "." + t.Field(i).Name
				fv := v.Field(i)
				if _, tracked := fields[name]; tracked {
					switch {
					case fv.Kind() == reflect.Slice && fv.Len() > 0:
						fields[name] = true
					case fv.Kind() == reflect.Struct && fv.FieldByName("Set").Bool():
						fields[name] = true
					}
					continue
				}
				visit(fv)
			}
		}
	}
	visit(reflect.ValueOf(m))
	var unset []string
	for _, k := range sortedKeys(fields) {
		if !fields[k] {
			unset = append(unset, k)
		}
	}
	if len(unset) > 0 {
		t.Errorf("full.yaml leaves %d fields unset (a key missing from full.yaml, or named differently in the schema and decode.go):\n  %s",
			len(unset), strings.Join(unset, "\n  "))
	}
	if os.Getenv("CHALC_PRINT") != "" {
		t.Log(sortedKeys(fields))
	}
	if len(fields) < 90 {
		t.Errorf("only %d fields tracked; is the walk broken?", len(fields))
	}
}

// Same input, same output: the validator walks maps in random order, the
// result must not show it.
func TestDeterministic(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\napp_name: x\n")
	b.WriteString("functions:\n")
	for i := 0; i < 50; i++ {
		b.WriteString("  f" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ": {handler: 5, lambda_timout: 1, sqs: {batch_size: 0, queue: 1}}\n")
	}
	b.WriteString("environment_variables: {A: 1, B: 2, C: 3, D: ~}\nstages:\n  p: {routes: {}, debug: x, lambda_timeout: 0}\n")
	src := b.String()
	first := check(t, "chalice.yaml", src, false)
	if strings.Count(first, "error:") < 200 {
		t.Fatalf("expected many errors, got:\n%s", first)
	}
	for i := 0; i < 20; i++ {
		if got := check(t, "chalice.yaml", src, false); got != first {
			t.Fatalf("run %d differs:\n%s\nfirst run:\n%s", i, got, first)
		}
	}
}

func TestNoRoot(t *testing.T) {
	if ds := Validate(&manifest.Document{Filename: "chalice.yaml"}); ds != nil {
		t.Errorf("Validate(no root) = %v", ds)
	}
	if ds := ValidateFragment(nil); ds != nil {
		t.Errorf("ValidateFragment(nil) = %v", ds)
	}
}

func TestSuggest(t *testing.T) {
	cands := []string{"TLS_1_0", "TLS_1_2", "lambda_timeout", "routes"}
	for in, want := range map[string]string{
		"lambda_timout": "lambda_timeout",
		"ROUTES":        "routes",
		"TLS_1_3":       "", // as close to TLS_1_0 as to TLS_1_2
		"handlers":      "",
	} {
		if got := suggestKey(in, cands); got != want {
			t.Errorf("suggestKey(%q) = %q, want %q", in, got, want)
		}
	}
	if got := suggestValue("WARN", []string{"DEBUG", "WARNING"}); got != "WARNING" {
		t.Errorf("suggestValue(WARN) = %q", got)
	}
}

// A keyword without a message still yields a diagnostic at the right place.
func TestUnexpectedKeyword(t *testing.T) {
	set, _ := manifest.Parsed("chalice.yaml", []byte("version: 1\napp_name: x\nlayers: []\n"))
	c := load()
	r := &reporter{doc: set.Root, raw: c.raw, root: c.raw.root, inst: (&converter{}).value(set.Root.Root)}
	r.walk(&verror{loc: []string{"layers"}, kind: kMinItems{}})
	var b strings.Builder
	diag.Fprint(&b, set.Sources, r.ds)
	want := `chalice.yaml:3:9: error: layers is not valid here
  3 | layers: []
    |         ^^
  hint: chalc has no message for this schema check (minItems); please report it

`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

// Validate shares the compiled schema; concurrent calls, even on one
// document, must not race.
func TestConcurrent(t *testing.T) {
	src, err := os.ReadFile("../testdata/manifests/valid/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	set, ds := manifest.Parsed("chalice.yaml", append(src, "lambda_timout: 1\n"...))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	done := make(chan string)
	for i := 0; i < 4; i++ {
		go func() {
			var b strings.Builder
			diag.Fprint(&b, set.Sources, Validate(set.Root))
			done <- b.String()
		}()
	}
	first := <-done
	if !strings.Contains(first, "lambda_timout") {
		t.Errorf("missing the unknown key:\n%s", first)
	}
	for i := 1; i < 4; i++ {
		if got := <-done; got != first {
			t.Errorf("concurrent results differ:\n%s\n%s", got, first)
		}
	}
}

// TestStageValueFields pins the fields that take stage values: the
// schema marks each with x-chalc-stage (what editors and docs show) and
// the model tags each `,stage` (what the decoder expands); the two lists
// must be the same.
func TestStageValueFields(t *testing.T) {
	// Where each struct of the model is in the schema.
	at := map[string]string{
		"CORS": "#/$defs/corsConfig/properties/", "Authorizer": "#/$defs/authorizer/properties/",
		"Schedule": "#/$defs/scheduleOptions/properties/", "S3Source": "#/$defs/function/properties/s3/properties/",
		"SNSSource": "#/$defs/function/properties/sns/properties/", "SQSSource": "#/$defs/function/properties/sqs/properties/",
		"KinesisSource": "#/$defs/function/properties/kinesis/properties/", "DynamoDBSource": "#/$defs/function/properties/dynamodb/properties/",
		"Domain": "#/$defs/domain/properties/", "Config": "#/$defs/",
	}
	want := map[string]bool{
		// Decoded apart from the tagged fields: a schedule's short form
		// and the strings of an event pattern.
		"#/$defs/function/properties/schedule":                                  true,
		"#/$defs/function/properties/cloudwatch_event/properties/event_pattern": true,
	}
	for _, k := range manifest.StageKeys() {
		typ, key, _ := strings.Cut(k, ".")
		want[at[typ]+key] = true
	}
	got := map[string]bool{}
	schemaObjects("#", map[string]any(load().raw.root), func(ptr string, s map[string]any) {
		if s["x-chalc-stage"] == true {
			got[ptr] = true
		}
	})
	for _, p := range sortedKeys(want) {
		if !got[p] {
			t.Errorf("%s takes stage values (the model says so) but has no x-chalc-stage", p)
		}
	}
	for _, p := range sortedKeys(got) {
		if !want[p] {
			t.Errorf("%s has x-chalc-stage but the model's field takes no stage values", p)
		}
	}
}
