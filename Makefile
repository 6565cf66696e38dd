# failover-lab — see README.md.
GO      ?= go
BIN     := bin
# Compose: the v2 plugin when present, else Debian's docker-compose 1.29.
COMPOSE := $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo docker-compose)
# Debian packages a target needs are installed first when missing (.ci/deps:
# as root or with passwordless sudo; otherwise it stops with the install
# line). DEPS=skip runs without them: their tests skip, naming the package.
DEPS ?= install
deps = @if [ "$(DEPS)" != skip ]; then sh .ci/deps $(1); fi

.PHONY: all build test race lint bench fuzz images clean deps

all: build

build: ## build every binary into bin/
	CGO_ENABLED=0 $(GO) build -o $(BIN)/ ./proxy/cmd/... ./fixtures/cmd/... ./labs/cmd/...

test: ## the whole suite (the README's test command); the scenarios last, alone: their timing needs the cores
	$(call deps,test)
	@# The images first, outside any test's deadline: a cold products image takes minutes.
	@if $(DOCKER_UP); then $(GO) run ./fixtures/cmd/images; fi
	$(GO) vet ./...
	$(GO) test -race -count=1 $$($(GO) list ./... | grep -v '/scenarios$$')
	$(GO) test -race -count=1 ./scenarios/...

deps: ## install the Debian packages make test needs (as root or with sudo); DEPS=skip on test/lab skips this
	sh .ci/deps test

lint: ## formatting and vet
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...

bench: ## benchmarks: the proxy's hot path vs httputil.ReverseProxy, then failover-proxy vs nginx, HAProxy, Apache as their users run them (median ratios over rounds, RSS at 1000 connections)
	$(GO) test -run '^$$' -bench . -benchmem ./proxy/...
	$(GO) run ./labs/bench

FUZZTIME ?= 1m
fuzz: ## every fuzz target (func Fuzz* in *_test.go) for FUZZTIME each; a crasher stays in that package's testdata/fuzz
	@set -e; for f in $$(git grep -l '^func Fuzz' -- '*_test.go'); do \
		for fn in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$f); do \
			echo "== $$fn ./$$(dirname $$f) for $(FUZZTIME)"; \
			$(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) ./$$(dirname $$f); \
		done; done

images: ## build every image from source (no registry needed)
	$(call deps,images)
	$(GO) run ./fixtures/cmd/images

clean:
	rm -rf $(BIN) reports

# --- the compose demo (compose/lab.yml, project failover-lab; docs/demo.md) ---
LAB         := $(COMPOSE) -p failover-lab -f compose/lab.yml
LAB_CONTROL := http://127.0.0.1:8081
LAB_FAULT    = curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' $(LAB_CONTROL)/faults -d
DOCKER_UP    = docker info >/dev/null 2>&1

.PHONY: lab lab-docker lab-down lab-500 lab-502 lab-kill lab-pause lab-fix

lab: ## the three-node demo: containers, or local processes when no Docker daemon answers
	$(call deps,lab)
	@if $(DOCKER_UP); then $(MAKE) --no-print-directory lab-docker; else \
		echo "no Docker daemon answers: running the demo as local processes (lab up, Ctrl-C stops it)"; \
		$(GO) run ./labs/cmd/lab up; fi

lab-docker: # build the binaries and images (cached), start, wait until healthy
	$(GO) run ./fixtures/cmd/images app errorpage proxy
	$(LAB) up -d
	@echo "waiting until proxy, service and failover are healthy..."
	@for i in $$(seq 1 90); do \
		st=$$(docker inspect -f '{{.State.Health.Status}}' $$($(LAB) ps -q) 2>/dev/null | sort | uniq -c | tr -s ' \n' ' '); \
		[ "$$st" = " 3 healthy " ] && break; \
		[ $$i = 90 ] && { echo "not healthy after 90 s:$$st"; $(LAB) ps; $(LAB) logs --tail 20; exit 1; }; \
		sleep 1; \
	done
	@echo
	@echo "The lab is up (compose project failover-lab):"
	@echo "  open   http://127.0.0.1:8080/      the proxy: answers from 'service'"
	@echo "  open   http://127.0.0.1:9901/      the proxy's admin page"
	@echo "  watch  go run ./labs/cmd/lab watch http://127.0.0.1:8080/"
	@echo "  break  make lab-500 | make lab-502 | make lab-kill | make lab-pause"
	@echo "  fix    make lab-fix                traffic returns to 'service' within the health interval"
	@echo "  stop   make lab-down               removes every container and network it made"

lab-down: ## stop the compose demo and remove everything it made
	@if $(DOCKER_UP); then echo "$(LAB) down -v --remove-orphans"; $(LAB) down -v --remove-orphans; \
	else echo "no Docker daemon answers: nothing to take down (the process demo stops with Ctrl-C)"; fi

lab-500: ## the service answers 500 (the proxy fails over; no client sees it)
	$(LAB_FAULT) '{"id":"lab","kind":"status","status":500}'

lab-502: ## the service answers 502
	$(LAB_FAULT) '{"id":"lab","kind":"status","status":502}'

lab-kill: ## kill the service container (SIGKILL)
	@$(DOCKER_UP) || { echo "lab-kill needs the compose demo (Docker)"; exit 1; }
	$(LAB) kill service

lab-pause: ## freeze the service container (it accepts, never answers)
	@$(DOCKER_UP) || { echo "lab-pause needs the compose demo (Docker)"; exit 1; }
	$(LAB) pause service

# --- the seed story with the real products (compose/apache.yml, project failover-lab-apache) ---
LABA         := $(COMPOSE) -p failover-lab-apache -f compose/apache.yml
LABA_CONTROL := http://127.0.0.1:8091

.PHONY: lab-apache lab-apache-down lab-apache-500 lab-apache-fix

lab-apache: ## the seed's three Apaches: its proxy config, a PHP service, an error.html standby (Docker)
	@$(DOCKER_UP) || { echo "lab-apache needs Docker"; exit 1; }
	$(call deps,images)
	$(GO) run ./fixtures/cmd/images products
	$(LABA) up -d
	@echo "waiting until proxy, service and failover are healthy..."
	@for i in $$(seq 1 90); do \
		st=$$(docker inspect -f '{{.State.Health.Status}}' $$($(LABA) ps -q) 2>/dev/null | sort | uniq -c | tr -s ' \n' ' '); \
		[ "$$st" = " 3 healthy " ] && break; \
		[ $$i = 90 ] && { echo "not healthy after 90 s:$$st"; $(LABA) ps; $(LABA) logs --tail 20; exit 1; }; \
		sleep 1; \
	done
	@echo
	@echo "The seed's Apache demo is up (compose project failover-lab-apache):"
	@echo "  open   http://127.0.0.1:8090/                   Apache in front of the PHP page"
	@echo "  open   http://127.0.0.1:8090/balancer-manager   the members and their state"
	@echo "  watch  go run ./labs/cmd/lab watch http://127.0.0.1:8090/"
	@echo "  break  make lab-apache-500    the PHP page answers 500: one client sees it, then error.html"
	@echo "  fix    make lab-apache-fix    the service is back within one check (5 s)"
	@echo "  stop   make lab-apache-down"

lab-apache-down: ## stop the Apache demo and remove everything it made
	@if $(DOCKER_UP); then $(LABA) down -v --remove-orphans; fi

lab-apache-500: ## the PHP service answers 500 (Apache hands that one to the client, then fails over)
	curl -fsS -o /dev/null -X POST $(LABA_CONTROL)/faults -d '{"id":"lab","kind":"status","status":500}'

lab-apache-fix: ## clear the PHP service's faults
	curl -fsS -X DELETE $(LABA_CONTROL)/faults
	@echo "fixed: traffic returns to 'service' at the next passing check (within 5 s)"

lab-fix: ## undo every break: unpause/start the service, clear its faults
	@if $(DOCKER_UP) && [ -n "$$($(LAB) ps -q service 2>/dev/null)" ]; then \
		$(LAB) unpause service >/dev/null 2>&1 || true; \
		$(LAB) start service; fi
	@for i in $$(seq 1 30); do curl -fsS -o /dev/null $(LAB_CONTROL)/faults && break; sleep 1; done
	curl -fsS -X DELETE $(LAB_CONTROL)/faults
	@echo "fixed: traffic returns to 'service' within the health interval (5 s)"
