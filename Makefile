# cxlens — the two commands are `make demo` and `make test`.
GO          ?= go
BIN         := bin
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -s -w -X main.version=$(VERSION)
DEMO_DB     ?= demo.db
ADDR        ?= :8080
DEMO_EMAIL  ?= demo@cxlens.local
DEMO_PASSWORD ?= demo-password
export CXLENS_TEST_PG ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable

.PHONY: build demo test check unit quickstart e2e pg bench-ingest bench-query bench-clv bench-survey clean

build: ## Build bin/cxlens
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/cxlens ./cmd/cxlens

demo: build ## Build, create the demo database if missing, and serve it at :8080
	@if [ ! -f $(DEMO_DB) ]; then \
		echo "Creating the demo workspace in $(DEMO_DB) (a few seconds)..."; \
		$(BIN)/cxlens --db $(DEMO_DB) demo --seed 1 > $(BIN)/.demo-workspace; \
		echo "$(DEMO_PASSWORD)" | $(BIN)/cxlens --db $(DEMO_DB) user create --workspace $$(cat $(BIN)/.demo-workspace) \
			--email $(DEMO_EMAIL) --name "Demo owner" --role owner --password-stdin > /dev/null; \
	fi
	@$(BIN)/cxlens --db $(DEMO_DB) apikey create --workspace $$(cat $(BIN)/.demo-workspace 2>/dev/null || echo 1) --name "make demo" > $(BIN)/.demo-key
	@echo
	@echo "  cxlens demo:  http://localhost$(ADDR)"
	@echo "  sign in:      $(DEMO_EMAIL) / $(DEMO_PASSWORD)  (a local demo account)"
	@echo "  API key:      $$(cat $(BIN)/.demo-key)"
	@echo "  try:          curl -H \"Authorization: Bearer $$(cat $(BIN)/.demo-key)\" http://localhost$(ADDR)/api/v1/surveys"
	@echo
	$(BIN)/cxlens --db $(DEMO_DB) serve --addr $(ADDR)

test: check unit quickstart e2e ## Format, vet, staticcheck, every test on SQLite and PostgreSQL, the README quickstart, the browser tests

check: ## gofmt, go vet, staticcheck (pinned)
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
		if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

pg: ## Start (or install) the PostgreSQL the tests use
	@./scripts/pg-up

unit: pg ## Run the tests; PostgreSQL is required, not skipped
	CXLENS_TEST_PG_REQUIRED=1 $(GO) test -count=1 -timeout 12m ./...

quickstart: ## Run the README's curl quickstart as written
	@./scripts/quickstart-check

e2e: ## Browser tests (Playwright + Debian chromium, installed when missing); screenshots in test-output/
	@./scripts/e2e

bench-ingest: build ## The ingest benchmark of the README (1,000,000 responses)
	$(GO) run ./bench/ingest

bench-query: ## The query benchmark of the README (10,000,000 responses)
	$(GO) run ./bench/query -n 10000000 -runs 15 -sql -sql-n 1000000 -sql-runs 3

bench-clv: ## The CLV benchmark of the README (1,000,000 customers)
	$(GO) run ./bench/clv

bench-survey: ## The survey page benchmark of the README (page views and submissions, SQLite and PostgreSQL)
	$(GO) run ./bench/survey

clean:
	rm -rf $(BIN) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
