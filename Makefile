# chalc — see README.md. Every target works from a clean clone.
GO      ?= go
GOBIN   ?= $(shell $(GO) env GOPATH)/bin
APPS    := $(wildcard testdata/apps/*)
RIE_VERSION := v0.0.0-20261030222936-bef5c4ba774d

.PHONY: build install test lint golden bench demo tools clean

## build: the chalc binary in bin/ (new projects of an unpublished chalc use this checkout)
build:
	$(GO) build -ldflags "-X main.sourceDir=$(CURDIR)" -o bin/chalc ./cmd/chalc

## install: chalc into $(go env GOBIN), else the first $(go env GOPATH)'s bin/ (like `go install`)
install:
	$(GO) install -ldflags "-X main.sourceDir=$(CURDIR)" ./cmd/chalc
	@dir=$$($(GO) env GOBIN); gopath=$$($(GO) env GOPATH); [ -n "$$dir" ] || dir=$${gopath%%:*}/bin; \
	  echo "installed $$dir/chalc"; \
	  case ":$$PATH:" in *":$$dir:"*) ;; *) echo "$$dir is not on your PATH: add it, e.g. export PATH=\"$$dir:\$$PATH\"";; esac

## demo: package the bundled petstore app into out/
demo: build
	bin/chalc package --progress --project testdata/apps/petstore out

## test: everything CI runs — lint, unit/golden/CLI/runtime tests, example apps' own tests
test: lint
	$(GO) test ./...
	@for app in $(APPS); do echo "go test ($$app)"; (cd $$app && $(GO) test ./...) || exit 1; done

## lint: gofmt and go vet
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## golden: rewrite golden files (templates, diagnostics, CLI scripts); review the diff
golden:
	CHALC_UPDATE=1 $(GO) test ./...

## bench: the performance claims of the README (bench/ builds chalc and times it as a user runs it)
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## tools: what the runtime tests need (the Lambda Runtime Interface Emulator)
tools:
	$(GO) install github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$(RIE_VERSION)

clean:
	rm -rf bin out
