// Package dependent imports the services of awsfacts' dependent-action
// table, so that go.mod and go.sum record them for TestDependentInputPaths,
// which writes the calls.
package dependent

import (
	_ "github.com/aws/aws-sdk-go-v2/service/ecs"
	_ "github.com/aws/aws-sdk-go-v2/service/rekognition"
	_ "github.com/aws/aws-sdk-go-v2/service/scheduler"
	_ "github.com/aws/aws-sdk-go-v2/service/sfn"
)
