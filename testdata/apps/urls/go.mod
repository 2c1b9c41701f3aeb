module example.com/urls

go 1.26.0

require github.com/chalc-dev/chalc v0.0.0

require (
	github.com/aws/aws-lambda-go v1.55.1 // indirect
	github.com/aws/aws-sdk-go-v2 v1.48.0 // indirect
	github.com/aws/smithy-go v1.28.9 // indirect
)

replace github.com/chalc-dev/chalc => ../../..
