# LAPOR Desk. On a fresh Debian/Ubuntu machine:
#   make run    installs what is missing, builds and starts the program
#   make test   runs every test
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin
export CGO_ENABLED := 1

BIN := bin
GOFLAGS_BUILD := -trimpath
# staticcheck at a fixed version, fetched by the go command (go.mod stays the program's).
STATICCHECK := go run honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: run build server deps test-deps test lint race bench windows screenshots clean

run: deps build
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
		echo "No display found. To run without a screen, start a virtual one first:"; \
		echo "    Xvfb :99 -screen 0 1280x800x24 &   export DISPLAY=:99   then: make run"; \
		echo "The headless commands work anywhere: $(BIN)/lapordesk help"; \
		exit 1; \
	fi
	$(BIN)/lapordesk

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

build:
	go build $(GOFLAGS_BUILD) -o $(BIN)/ ./cmd/...

test: test-deps
	go vet ./...
	$(STATICCHECK) ./...
	go test -count=1 ./...

lint:
	go vet ./...
	$(STATICCHECK) ./...

race: test-deps
	go test -count=1 -race ./...

bench:
	go test -run '^$$' -bench . -benchmem ./...

windows: test-deps
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
		go build $(GOFLAGS_BUILD) -ldflags "-H=windowsgui" -o $(BIN)/lapordesk.exe ./cmd/lapordesk
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build $(GOFLAGS_BUILD) -o $(BIN)/lapordesk-server.exe ./cmd/lapordesk-server

screenshots: test-deps build
	scripts/screenshots.sh

clean:
	rm -rf $(BIN)
