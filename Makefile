# gongkai — two commands do all the set-up: `make demo` and `make test`.
SHELL := /bin/bash
GO ?= go
BIN := ./gongkai
ECHARTS := web/static/vendor/echarts.min.js
ECHARTS_VERSION := 5.6.0
SHARED := ../shared
# Packages whose code runs goroutines, tested again with the race detector
# (-short skips the browser, crash and quality runs, which take minutes under -race).
RACE_PKGS := ./store/... ./crawler/... ./web/... ./indexer ./indexer/chinese ./analytics/... ./alert ./demo/... ./proof/...
FUZZTIME ?= 30s
# staticcheck, pinned (0.8.x supports Go 1.26); go run fetches it from the module proxy once.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: build release release-check test demo bench lint fuzz browser screenshots clean

# The version, commit and commit date `gongkai version` prints (Go's own VCS stamp wins when present).
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null)
COMMIT_DATE ?= $(shell git log -1 --format=%cI 2>/dev/null)
LDFLAGS := -X main.version=$(VERSION) -X main.commit=$(COMMIT) \
  -X main.commitDate=$(COMMIT_DATE)

build: $(ECHARTS)
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/gongkai

# Static binaries for Linux servers (no cgo: SQLite and PDFium are pure Go / WebAssembly) with
# their SHA-256 sums, into dist/ (git-ignored).
RELEASE_PLATFORMS := linux/amd64 linux/arm64
release: $(ECHARTS)
	@rm -rf dist && mkdir -p dist
	@for p in $(RELEASE_PLATFORMS); do \
	  os=$${p%/*}; arch=$${p#*/}; out=dist/gongkai-$$os-$$arch; \
	  echo "building $$out"; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $$out ./cmd/gongkai || exit 1; \
	done
	cd dist && sha256sum gongkai-* > SHA256SUMS && cat SHA256SUMS

# Builds the release and checks it (TestReleaseBinaries): the sums; each binary a static ELF for its
# machine, without cgo, -trimpath; each prints `gongkai version --json` with this commit, the arm64
# one under qemu-aarch64-static or qemu-aarch64 when installed (Debian: qemu-user-static), else
# only its ELF header and build information are checked. Not in `make test` or CI: a cold build of
# both binaries costs about 9 CPU-minutes (docs/DESIGN-NOTES.md, Releases).
release-check: release
	GONGKAI_RELEASE_DIR=$(CURDIR)/dist $(GO) test -count=1 -run '^TestReleaseBinaries$$' -v ./cmd/gongkai

# ECharts is fetched from the npm registry, never committed; the binary embeds it.
$(ECHARTS):
	@mkdir -p $(dir $@)
	@tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent echarts@$(ECHARTS_VERSION) >/dev/null && \
	  tar xzf echarts-$(ECHARTS_VERSION).tgz package/dist/echarts.min.js && \
	  cp package/dist/echarts.min.js $(CURDIR)/$@ && rm -rf $$tmp
	@echo "fetched echarts $(ECHARTS_VERSION) into $@"

# Debian's chromium and CJK fonts for the browser test (skipped when apt is unavailable).
browser:
	@if ! command -v chromium >/dev/null || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "installing chromium and fonts-noto-cjk for the browser test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "chromium missing and cannot be installed here: the browser test will skip"; fi; \
	fi

# The proof package (crash, fault and load tests) runs 8-9 minutes alone on 2 cores,
# close to go test's default 10-minute limit per package: the limit is raised.
test: $(ECHARTS) browser lint
	$(GO) test -count=1 -timeout 25m ./...
	$(GO) test -count=1 -timeout 25m -race -short $(RACE_PKGS)

demo: build
	$(BIN) --data ./gongkai-data/demo demo

# `make bench SCALE=100` also measures the corpus copied SCALE times (100: 406,800 documents, 6 GB
# of text, 73 CPU-minutes to build) in the data folder SCALE_DATA, stored, indexed and searched
# by gongkai's own processes (`bench --copies`, no baseline); the folder is kept, so a second run only
# measures. The default measures the 1× and 10× copies.
SCALE ?= 10
SCALE_DATA ?= $(or $(TMPDIR),/tmp)/gongkai-bench-$(SCALE)x
BENCH_QUERIES := --queries $(SHARED)/eval/queries_dev.tsv --queries $(SHARED)/eval/queries_short_dev.tsv
bench: build
	$(BIN) bench $(SHARED)/eval/corpus.jsonl.gz $(BENCH_QUERIES) --replicate 10 --write docs/BENCHMARKS.md
ifneq ($(SCALE),10)
	$(BIN) --data $(SCALE_DATA) bench $(SHARED)/eval/corpus.jsonl.gz $(BENCH_QUERIES) --copies $(SCALE) --write docs/BENCHMARKS.md
endif

# go mod tidy -diff fails when go.mod or go.sum is not tidy (a direct requirement marked indirect, …).
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) mod tidy -diff
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

# Each fuzz target for FUZZTIME (not part of `make test`).
fuzz:
	@for t in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
	  for f in $$(grep -h '^func Fuzz' $$t/*_test.go | sed 's/func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do \
	    echo "== $$t $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$t || exit 1; \
	  done; done

# Rewrites docs/screenshots/*.png from the browser test on the demo.
screenshots: $(ECHARTS) browser
	GONGKAI_SCREENSHOTS=1 $(GO) test -count=1 -run TestBrowserEndToEnd ./web/e2e

clean:
	rm -f $(BIN)
	rm -rf dist
