# The two commands: `make run` starts everything in local mode, `make test` runs every test.
# Everything else here is a convenience over ./mvnw and the executable jar.

MVNW    := ./mvnw -B
JAR     := service/target/billing-service.jar
SOURCES := $(shell find service/src/main stripe-emulator/src/main -type f 2>/dev/null) pom.xml service/pom.xml stripe-emulator/pom.xml
BILLING := java -jar $(JAR)
ARGS    ?=

.PHONY: help build run test test-e2e test-stripe lint-stripe-fixtures test-node-sdk migrate token doctor \
        stripe-replay stripe-sync emulator format clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-22s %s\n", $$1, $$2}'

build: $(JAR) ## build the executable jar (service + emulator)

$(JAR): $(SOURCES)
	$(MVNW) -q install -DskipTests
	@touch $(JAR)

run: build ## start the service in local mode on :8000 (embedded Postgres, Redis, Stripe emulator)
	$(BILLING) serve

test: ## run every test: formatting, unit, integration (embedded Postgres/Redis, emulator), node SDK check, dashboard in a browser
	$(MVNW) spotless:check install
	e2e/stripe-node-sdk/run.sh
	e2e/dashboard/run.sh

test-e2e: build ## the dashboard in a real browser (playwright-core + Debian chromium; screenshots in e2e/artifacts/)
	e2e/dashboard/run.sh

test-stripe: ## post every fixture, signed, through the real webhook endpoint and the live stream; check rows, state and frames
	$(MVNW) -q install -DskipTests
	$(MVNW) -pl service surefire:test -Dtest='StripeFixtureReplayTests' -Dsurefire.failIfNoSpecifiedTests=false

lint-stripe-fixtures: build ## parse and schema-check every Stripe event fixture
	$(BILLING) lint-fixtures service/src/test/resources/fixtures/stripe

test-node-sdk: ## the official stripe-node SDK against the emulator
	$(MVNW) -q -pl stripe-emulator compile
	e2e/stripe-node-sdk/run.sh

migrate: build ## apply database migrations (DATABASE_URL, or local mode's embedded Postgres)
	$(BILLING) migrate

token: build ## mint a dev token: make token ARGS="--tenant acme --role owner"
	@$(BILLING) token $(if $(ARGS),$(ARGS),--tenant acme --role owner)

doctor: build ## check configuration, database and Redis
	$(BILLING) doctor

stripe-replay: build ## operator replay: make stripe-replay ARGS="list --status failed"
	$(BILLING) replay $(ARGS)

stripe-sync: build ## backfill from Stripe's Events API: make stripe-sync ARGS="--since 2d --dry-run"
	$(BILLING) sync-events $(ARGS)

emulator: ## run the Stripe emulator alone on :12111
	$(MVNW) -q -pl stripe-emulator compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
	java -cp stripe-emulator/target/classes:$$(cat stripe-emulator/target/classpath.txt) \
	  com.anythingagents.stripe.emulator.StripeEmulatorMain --port 12111 $(ARGS)

format: ## apply the one formatter (palantir java format)
	$(MVNW) -q spotless:apply

clean: ## remove build outputs (keeps .local/ data)
	$(MVNW) -q clean
