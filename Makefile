# failover-lab — see README.md.
GO      ?= go
BIN     := bin
# Compose: the v2 plugin when present, else Debian's docker-compose 1.29.
COMPOSE := $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo docker-compose)

.PHONY: all build test race lint bench images clean

all: build

build: ## build every binary into bin/
	CGO_ENABLED=0 $(GO) build -o $(BIN)/ ./proxy/cmd/... ./fixtures/cmd/... ./labs/cmd/...

test: ## the whole suite (the README's test command)
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

lint: ## formatting and vet
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...

bench: ## benchmarks (the proxy's hot path reports its ratio to httputil.ReverseProxy)
	$(GO) test -run '^$$' -bench . -benchmem ./proxy/...

images: ## build every image from source (no registry needed)
	$(GO) run ./fixtures/cmd/images

clean:
	rm -rf $(BIN) reports
