package manifest

import (
	"math"
	"strconv"
	"strings"

	"github.com/chalc-dev/chalc/diag"
)

// The decoder turns normalised nodes into the typed model. It is tolerant:
// a value of the wrong shape is skipped (left unset), because the schema
// step, which always runs on the same nodes, reports it with a better
// message. The decoder itself reports nothing.

type decoder struct{ doc *Document }

func (d *decoder) rng(n *Node) diag.Range { return d.doc.Range(n) }

// pairs calls fn for each key/value of a mapping node.
func pairs(n *Node, fn func(k, v *Node)) {
	if n == nil || n.Kind != MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		fn(n.Content[i], n.Content[i+1])
	}
}

func (d *decoder) str(k, v *Node) Value[string] {
	out := Value[string]{Key: d.rng(k), Range: d.rng(v)}
	if v != nil && v.Kind == ScalarNode && (v.ShortTag() == TagStr || customTag(v)) {
		out.V, out.Set, out.Tagged = v.Value, true, customTag(v)
	}
	return out
}

// customTag: a scalar with a tag like !Ref, which the parser reported;
// reading it as its string keeps one mistake from causing more errors.
func customTag(n *Node) bool { return !strings.HasPrefix(n.ShortTag(), "!!") }

func (d *decoder) integer(k, v *Node) Value[int] {
	out := Value[int]{Key: d.rng(k), Range: d.rng(v)}
	if v != nil && v.Kind == ScalarNode && v.ShortTag() == TagInt {
		if i, ok := parseInt(v.Value); ok {
			out.V, out.Set = i, true
		}
	}
	return out
}

// parseInt accepts YAML 1.2 integers (decimal, 0x, 0o) that fit an int32
// range comfortably; larger values are not meaningful anywhere in a
// manifest and the schema's maximum reports them.
func parseInt(s string) (int, bool) {
	s = strings.ReplaceAll(s, "_", "")
	i, err := strconv.ParseInt(s, 0, 64)
	if err != nil {
		if strings.HasPrefix(s, "0o") || strings.HasPrefix(s, "0O") {
			i, err = strconv.ParseInt(s[2:], 8, 64)
		}
		if err != nil {
			return 0, false
		}
	}
	if i > math.MaxInt32 || i < math.MinInt32 {
		return 0, false
	}
	return int(i), true
}

func (d *decoder) boolean(k, v *Node) Value[bool] {
	out := Value[bool]{Key: d.rng(k), Range: d.rng(v)}
	if v != nil && v.Kind == ScalarNode && v.ShortTag() == TagBool {
		b, err := strconv.ParseBool(strings.ToLower(v.Value))
		if err == nil {
			out.V, out.Set = b, true
		}
	}
	return out
}

func (d *decoder) list(k, v *Node) List {
	out := List{Key: d.rng(k), Range: d.rng(v)}
	if v == nil {
		return out
	}
	switch v.Kind {
	case SequenceNode:
		out.Set = true
		for _, it := range v.Content {
			if it.Kind == ScalarNode && it.ShortTag() == TagStr {
				out.Items = append(out.Items, Value[string]{V: it.Value, Set: true, Key: d.rng(k), Range: d.rng(it)})
			}
		}
	case ScalarNode:
		if v.ShortTag() == TagStr {
			out.Set, out.Scalar = true, true
			out.Items = []Value[string]{{V: v.Value, Set: true, Key: d.rng(k), Range: d.rng(v)}}
		}
	}
	return out
}

func (d *decoder) strMap(k, v *Node) Map {
	out := Map{Key: d.rng(k), Range: d.rng(v)}
	if v == nil || v.Kind != MappingNode {
		return out
	}
	out.Set = true
	pairs(v, func(kk, vv *Node) {
		e := Entry{Key: Value[string]{V: kk.Value, Set: true, Key: d.rng(kk), Range: d.rng(kk)}}
		if vv.Kind == ScalarNode && vv.ShortTag() == TagStr {
			e.Value = Value[string]{V: vv.Value, Set: true, Key: d.rng(kk), Range: d.rng(vv)}
		} else {
			e.Value = Value[string]{Key: d.rng(kk), Range: d.rng(vv)}
		}
		out.Entries = append(out.Entries, e)
	})
	return out
}

// any converts a node to plain JSON-compatible Go values (event patterns).
func anyValue(n *Node) any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case MappingNode:
		m := map[string]any{}
		pairs(n, func(k, v *Node) { m[k.Value] = anyValue(v) })
		return m
	case SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			s = append(s, anyValue(c))
		}
		return s
	}
	switch n.ShortTag() {
	case TagNull:
		return nil
	case TagBool:
		b, _ := strconv.ParseBool(strings.ToLower(n.Value))
		return b
	case TagInt:
		if i, ok := parseInt(n.Value); ok {
			return i
		}
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return f
		}
	case TagFloat:
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f
		}
	}
	return n.Value
}

// AnyValue is the JSON-compatible value of n (for the schema step).
func AnyValue(n *Node) any { return anyValue(n) }

// Decode builds the typed manifest from a parsed app document. Fragments
// of blueprints are attached from frags (keyed by absolute path), as
// Load resolves them.
func Decode(doc *Document, frags map[string]*Fragment) *Manifest {
	d := &decoder{doc: doc}
	m := &Manifest{Doc: doc}
	pairs(doc.Root, func(k, v *Node) {
		switch k.Value {
		case "version":
			m.Version = d.integer(k, v)
		case "app_name":
			m.AppName = d.str(k, v)
		case "handlers":
			m.Handlers = d.str(k, v)
		case "api":
			m.API = d.api(v)
		case "routes":
			m.Routes = d.routes(v, nil)
		case "authorizers":
			m.Authorizers = d.authorizers(v, nil)
		case "functions":
			m.Functions = d.functions(v, nil)
		case "websocket":
			m.Websocket = d.websocket(k, v)
		case "middleware":
			m.Middleware = d.middleware(v, nil)
		case "blueprints":
			m.Blueprints = d.blueprints(v, frags)
		case "lambda_functions":
			m.LambdaFunctions = d.lambdaFunctions(v)
		case "stages":
			m.StagesKey = d.rng(k)
			pairs(v, func(sk, sv *Node) {
				st := &Stage{Name: Value[string]{V: sk.Value, Set: true, Key: d.rng(sk), Range: d.rng(sk)}}
				pairs(sv, func(ck, cv *Node) {
					if ck.Value == "lambda_functions" {
						st.LambdaFunctions = d.lambdaFunctions(cv)
						return
					}
					d.configKey(&st.Config, ck, cv)
				})
				m.Stages = append(m.Stages, st)
			})
		default:
			d.configKey(&m.Config, k, v)
		}
	})
	return m
}

// DecodeFragment builds a blueprint fragment from its document.
func DecodeFragment(doc *Document) *Fragment {
	d := &decoder{doc: doc}
	f := &Fragment{Doc: doc}
	pairs(doc.Root, func(k, v *Node) {
		switch k.Value {
		case "handlers":
			f.Handlers = d.str(k, v)
		case "routes":
			f.Routes = d.routes(v, f)
		case "authorizers":
			f.Authorizers = d.authorizers(v, f)
		case "functions":
			f.Functions = d.functions(v, f)
		case "middleware":
			f.Middleware = d.middleware(v, f)
		case "blueprints":
			f.BlueprintsKey = d.rng(k)
		}
	})
	return f
}

func (d *decoder) api(v *Node) API {
	var a API
	pairs(v, func(k, v *Node) {
		switch k.Value {
		case "binary_types":
			a.BinaryTypes = d.list(k, v)
		case "cors":
			a.CORS = d.cors(k, v)
		}
	})
	return a
}

func (d *decoder) cors(k, v *Node) *CORS {
	c := &CORS{Key: d.rng(k), Range: d.rng(v)}
	switch {
	case v.Kind == ScalarNode && v.ShortTag() == TagBool:
		c.Enabled = d.boolean(k, v).V
	case v.Kind == MappingNode:
		c.Enabled, c.Object = true, true
		pairs(v, func(k, v *Node) {
			switch k.Value {
			case "allow_origin":
				c.AllowOrigin = d.str(k, v)
			case "allow_headers":
				c.AllowHeaders = d.list(k, v)
			case "expose_headers":
				c.ExposeHeaders = d.list(k, v)
			case "max_age":
				c.MaxAge = d.integer(k, v)
			case "allow_credentials":
				c.AllowCredentials = d.boolean(k, v)
			}
		})
	default:
		return nil
	}
	return c
}

func (d *decoder) routes(v *Node, f *Fragment) []*Route {
	var out []*Route
	pairs(v, func(pk, pv *Node) {
		path := Value[string]{V: pk.Value, Set: true, Key: d.rng(pk), Range: d.rng(pk)}
		pairs(pv, func(mk, mv *Node) {
			r := &Route{Path: path, Fragment: f,
				Method: Value[string]{V: mk.Value, Set: true, Key: d.rng(mk), Range: d.rng(mk)}}
			switch mv.Kind {
			case ScalarNode:
				r.Handler = d.str(mk, mv)
			case MappingNode:
				pairs(mv, func(k, v *Node) {
					switch k.Value {
					case "handler":
						r.Handler = d.str(k, v)
					case "authorizer":
						r.Authorizer = d.str(k, v)
					case "scopes":
						r.Scopes = d.list(k, v)
					case "api_key_required":
						r.APIKeyRequired = d.boolean(k, v)
					case "content_types":
						r.ContentTypes = d.list(k, v)
					case "summary":
						r.Summary = d.str(k, v)
					case "description":
						r.Description = d.str(k, v)
					case "cors":
						r.CORS = d.cors(k, v)
					}
				})
				if !r.Handler.Set && r.Handler.Key.Start.Line == 0 {
					r.Handler.Key = d.rng(mk)
				}
			default:
				r.Handler.Key = d.rng(mk)
			}
			out = append(out, r)
		})
	})
	return out
}

func (d *decoder) authorizers(v *Node, f *Fragment) []*Authorizer {
	var out []*Authorizer
	pairs(v, func(ak, av *Node) {
		a := &Authorizer{Fragment: f, Key: Value[string]{V: ak.Value, Set: true, Key: d.rng(ak), Range: d.rng(ak)}}
		pairs(av, func(k, v *Node) {
			switch k.Value {
			case "type":
				a.Type = d.str(k, v)
			case "handler":
				a.Handler = d.str(k, v)
			case "name":
				a.Name = d.str(k, v)
			case "header":
				a.Header = d.str(k, v)
			case "ttl_seconds":
				a.TTLSeconds = d.integer(k, v)
			case "execution_role":
				a.ExecutionRole = d.str(k, v)
			case "provider_arns":
				a.ProviderARNs = d.list(k, v)
			case "authorizer_uri":
				a.AuthorizerURI = d.str(k, v)
			case "invoke_role_arn":
				a.InvokeRoleARN = d.str(k, v)
			}
		})
		out = append(out, a)
	})
	return out
}

func (d *decoder) functions(v *Node, f *Fragment) []*Function {
	var out []*Function
	pairs(v, func(fk, fv *Node) {
		fn := &Function{Fragment: f, Name: Value[string]{V: fk.Value, Set: true, Key: d.rng(fk), Range: d.rng(fk)}}
		pairs(fv, func(k, v *Node) {
			trigger := true
			switch k.Value {
			case "handler":
				fn.Handler = d.str(k, v)
				trigger = false
			case "schedule":
				fn.Schedule = d.schedule(k, v)
			case "cloudwatch_event":
				c := &CloudWatchEvent{Range: d.rng(v)}
				pairs(v, func(k, v *Node) {
					if k.Value == "event_pattern" {
						c.EventPattern = Value[any]{V: anyValue(v), Set: v.Kind == MappingNode, Key: d.rng(k), Range: d.rng(v)}
					}
				})
				fn.CloudWatchEvent = c
			case "s3":
				s := &S3Source{Range: d.rng(v)}
				pairs(v, func(k, v *Node) {
					switch k.Value {
					case "bucket":
						s.Bucket = d.str(k, v)
					case "bucket_resource":
						s.BucketResource = d.str(k, v)
					case "events":
						s.Events = d.list(k, v)
					case "prefix":
						s.Prefix = d.str(k, v)
					case "suffix":
						s.Suffix = d.str(k, v)
					}
				})
				fn.S3 = s
			case "sns":
				s := &SNSSource{Range: d.rng(v)}
				pairs(v, func(k, v *Node) {
					if k.Value == "topic" {
						s.Topic = d.str(k, v)
					}
				})
				fn.SNS = s
			case "sqs":
				s := &SQSSource{Range: d.rng(v)}
				pairs(v, func(k, v *Node) {
					switch k.Value {
					case "queue":
						s.Queue = d.str(k, v)
					case "queue_arn":
						s.QueueARN = d.str(k, v)
					case "maximum_concurrency":
						s.MaximumConcurrency = d.integer(k, v)
					default:
						d.batching(&s.Batching, k, v)
					}
				})
				fn.SQS = s
			case "kinesis":
				s := &KinesisSource{Range: d.rng(v)}
				pairs(v, func(k, v *Node) {
					switch k.Value {
					case "stream":
						s.Stream = d.str(k, v)
					case "stream_arn":
						s.StreamARN = d.str(k, v)
					case "starting_position":
						s.StartingPosition = d.str(k, v)
					default:
						d.batching(&s.Batching, k, v)
					}
				})
				fn.Kinesis = s
			case "dynamodb":
				s := &DynamoDBSource{Range: d.rng(v)}
				pairs(v, func(k, v *Node) {
					switch k.Value {
					case "stream_arn":
						s.StreamARN = d.str(k, v)
					case "starting_position":
						s.StartingPosition = d.str(k, v)
					default:
						d.batching(&s.Batching, k, v)
					}
				})
				fn.DynamoDB = s
			default:
				trigger = false
			}
			if trigger {
				fn.Triggers = append(fn.Triggers, Value[string]{V: k.Value, Set: true, Key: d.rng(k), Range: d.rng(k)})
			}
		})
		if !fn.Handler.Set && fn.Handler.Key.Start.Line == 0 {
			fn.Handler.Key = d.rng(fk)
		}
		out = append(out, fn)
	})
	return out
}

// batching decodes the keys shared by the polled event sources.
func (d *decoder) batching(b *Batching, k, v *Node) {
	switch k.Value {
	case "batch_size":
		b.BatchSize = d.integer(k, v)
	case "maximum_batching_window_in_seconds":
		b.MaximumBatchingWindowInSeconds = d.integer(k, v)
	case "report_batch_item_failures":
		b.ReportBatchItemFailures = d.boolean(k, v)
	}
}

func (d *decoder) schedule(k, v *Node) *Schedule {
	s := &Schedule{Range: d.rng(v)}
	switch v.Kind {
	case ScalarNode:
		s.Expression = d.str(k, v)
	case MappingNode:
		pairs(v, func(k, v *Node) {
			switch k.Value {
			case "expression":
				s.Expression = d.str(k, v)
			case "description":
				s.Description = d.str(k, v)
			}
		})
	}
	return s
}

func (d *decoder) websocket(k, v *Node) *Websocket {
	w := &Websocket{Range: d.rng(k)}
	pairs(v, func(k, v *Node) {
		switch k.Value {
		case "connect":
			w.Connect = d.str(k, v)
		case "message":
			w.Message = d.str(k, v)
		case "disconnect":
			w.Disconnect = d.str(k, v)
		}
	})
	return w
}

func (d *decoder) middleware(v *Node, f *Fragment) []*Middleware {
	if v == nil || v.Kind != SequenceNode {
		return nil
	}
	var out []*Middleware
	for _, it := range v.Content {
		mw := &Middleware{Fragment: f}
		switch it.Kind {
		case ScalarNode:
			mw.Handler = d.str(it, it)
		case MappingNode:
			mw.Handler.Key = d.rng(it)
			pairs(it, func(k, v *Node) {
				switch k.Value {
				case "handler":
					mw.Handler = d.str(k, v)
				case "event_type":
					mw.EventType = d.str(k, v)
				}
			})
		default:
			continue
		}
		out = append(out, mw)
	}
	return out
}

func (d *decoder) blueprints(v *Node, frags map[string]*Fragment) []*Blueprint {
	if v == nil || v.Kind != SequenceNode {
		return nil
	}
	var out []*Blueprint
	for _, it := range v.Content {
		if it.Kind != MappingNode {
			continue
		}
		b := &Blueprint{Range: d.rng(it)}
		pairs(it, func(k, v *Node) {
			switch k.Value {
			case "manifest":
				b.Manifest = d.str(k, v)
			case "url_prefix":
				b.URLPrefix = d.str(k, v)
			case "name_prefix":
				b.NamePrefix = d.str(k, v)
			}
		})
		if b.Manifest.Set && frags != nil {
			b.Fragment = frags[resolvePath(d.doc, b.Manifest.V)]
		}
		out = append(out, b)
	}
	return out
}

func (d *decoder) lambdaFunctions(v *Node) []*FunctionConfig {
	var out []*FunctionConfig
	pairs(v, func(fk, fv *Node) {
		fc := &FunctionConfig{Name: Value[string]{V: fk.Value, Set: true, Key: d.rng(fk), Range: d.rng(fk)}}
		pairs(fv, func(k, v *Node) { d.configKey(&fc.Config, k, v) })
		out = append(out, fc)
	})
	return out
}

func (d *decoder) domain(v *Node) *Domain {
	if v == nil || v.Kind != MappingNode {
		return nil
	}
	dm := &Domain{Range: d.rng(v)}
	pairs(v, func(k, v *Node) {
		switch k.Value {
		case "domain_name":
			dm.DomainName = d.str(k, v)
		case "certificate_arn":
			dm.CertificateARN = d.str(k, v)
		case "tls_version":
			dm.TLSVersion = d.str(k, v)
		case "url_prefix":
			dm.URLPrefix = d.str(k, v)
		case "tags":
			dm.Tags = d.strMap(k, v)
		}
	})
	return dm
}

// configKey decodes one configuration key into c; unknown keys are left to
// the schema.
func (d *decoder) configKey(c *Config, k, v *Node) {
	switch k.Value {
	case "debug":
		c.Debug = d.boolean(k, v)
	case "log_level":
		c.LogLevel = d.str(k, v)
	case "architecture":
		c.Architecture = d.str(k, v)
	case "automatic_layer":
		c.AutomaticLayer = d.boolean(k, v)
	case "api_gateway_stage":
		c.APIGatewayStage = d.str(k, v)
	case "api_gateway_endpoint_type":
		c.APIGatewayEndpointType = d.str(k, v)
	case "api_gateway_endpoint_vpce":
		c.APIGatewayEndpointVPCE = d.list(k, v)
	case "api_gateway_policy_file":
		c.APIGatewayPolicyFile = d.str(k, v)
	case "minimum_compression_size":
		c.MinimumCompressionSize = d.integer(k, v)
	case "api_gateway_custom_domain":
		c.APIGatewayCustomDomain = d.domain(v)
	case "websocket_api_custom_domain":
		c.WebsocketAPICustomDomain = d.domain(v)
	case "environment_variables":
		c.EnvironmentVariables = d.strMap(k, v)
	case "tags":
		c.Tags = d.strMap(k, v)
	case "lambda_memory_size":
		c.LambdaMemorySize = d.integer(k, v)
	case "lambda_timeout":
		c.LambdaTimeout = d.integer(k, v)
	case "layers":
		c.Layers = d.list(k, v)
	case "reserved_concurrency":
		c.ReservedConcurrency = d.integer(k, v)
	case "subnet_ids":
		c.SubnetIDs = d.list(k, v)
	case "security_group_ids":
		c.SecurityGroupIDs = d.list(k, v)
	case "manage_iam_role":
		c.ManageIAMRole = d.boolean(k, v)
	case "iam_role_arn":
		c.IAMRoleARN = d.str(k, v)
	case "autogen_policy":
		c.AutogenPolicy = d.boolean(k, v)
	case "iam_policy_file":
		c.IAMPolicyFile = d.str(k, v)
	case "xray":
		c.XRay = d.boolean(k, v)
	case "log_retention_in_days":
		c.LogRetentionInDays = d.integer(k, v)
	}
}
