module example.com/chalice_pure_lambda

go 1.26.0

require github.com/chalc-dev/chalc v0.0.0

require github.com/aws/aws-lambda-go v1.55.1 // indirect

replace github.com/chalc-dev/chalc => ../../..
