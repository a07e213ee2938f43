# The two commands: `make run` starts everything in local mode, `make test` runs every test.
# Everything else here is a convenience over ./mvnw and the executable jar.

MVNW    := ./mvnw -B
JAR     := service/target/billing-service.jar
SOURCES := $(shell find service/src/main stripe-emulator/src/main -type f 2>/dev/null) pom.xml service/pom.xml stripe-emulator/pom.xml
# The jar extracted (classes in plain jars, which class data sharing needs) and a class data sharing
# archive of what a start loads: the JVM maps those classes instead of loading and verifying them
# again, most of a start's CPU. Rebuilt with the jar; a run without the archive works, only slower.
APP     := service/target/app
CDS     := $(APP)/billing-service.jsa
BILLING := java $$(test -f $(CDS) && echo -XX:SharedArchiveFile=$(CDS)) -jar $(APP)/billing-service.jar
ARGS    ?=
# the standalone emulator's port (make emulator); local mode's in-process one uses LOCAL_STRIPE_PORT
EMULATOR_PORT ?= 12111

.PHONY: help build run test test-e2e test-stripe lint-stripe-fixtures test-node-sdk docs-check migrate token \
        doctor stripe-setup dev-up dev-down stripe-replay stripe-replay-usage stripe-sync emulator format clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-22s %s\n", $$1, $$2}'

build: $(JAR) $(CDS) ## build the executable jar (service + emulator) and its class data sharing archive

$(JAR): $(SOURCES)
	$(MVNW) -q install -DskipTests
	@touch $(JAR)

# Training run: an ephemeral local-mode start (temporary data, free ports, no env files), one health
# check, then a clean exit that writes the archive.
$(CDS): $(JAR)
	@rm -rf $(APP)
	@java -Djarmode=tools -jar $(JAR) extract --destination $(APP)
	@env -i PATH="$$PATH" HOME="$$HOME" BILLING_LOCAL_EPHEMERAL=true PORT=0 BILLING_ENV_DIR=$(APP) \
	  java -XX:ArchiveClassesAtExit=$(CDS) -Xlog:cds=off -Xlog:cds+dynamic=off \
	  -jar $(APP)/billing-service.jar serve --exit-when-ready >$(APP)/training.log 2>&1 \
	  || { rm -f $(CDS); echo "no class data sharing archive (see $(APP)/training.log): starts will be slower"; }

run: build ## start the service in local mode on :8000 (embedded Postgres, Redis, Stripe emulator)
	$(BILLING) serve

test: ## run every test: formatting, unit, integration (embedded Postgres/Redis, emulator), node SDK check, dashboard in a browser, docs check
	$(MVNW) spotless:check install
	e2e/stripe-node-sdk/run.sh
	e2e/dashboard/run.sh
	$(MAKE) --no-print-directory docs-check

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

docs-check: build ## run every make and CLI command README.md and docs/ show, in a sandbox; fail naming the stale line
	java -cp service/target/test-classes com.anythingagents.billing.docs.DocsCheck $(ARGS)

migrate: build ## apply database migrations (DATABASE_URL, or local mode's embedded Postgres)
	$(BILLING) migrate

token: build ## mint a dev token: make token ARGS="--tenant acme --role owner"
	@$(BILLING) token $(if $(ARGS),$(ARGS),--tenant acme --role owner)

doctor: build ## check configuration, database, Redis, Stripe (key, prices, meters, webhook endpoints) and the backlog
	@$(BILLING) doctor

stripe-setup: build ## guided Stripe setup, writes .env.local; CI: make stripe-setup ARGS="--non-interactive …"
	@$(BILLING) setup $(ARGS)

dev-up: build ## PostgreSQL and Redis for development (docker compose, else embedded in the background)
	@$(BILLING) dev-infra up $(ARGS)

dev-down: build ## stop what make dev-up started; no process is left behind
	@$(BILLING) dev-infra down $(ARGS)

stripe-replay: build ## operator replay: make stripe-replay ARGS="list --status failed"
	$(BILLING) replay $(ARGS)

stripe-replay-usage: build ## re-queue failed usage reports: make stripe-replay-usage ARGS="--all-failed --dry-run"
	$(BILLING) replay-usage $(ARGS)

stripe-sync: build ## backfill from Stripe's Events API: make stripe-sync ARGS="--since 2d --dry-run"
	$(BILLING) sync-events $(ARGS)

emulator: ## run the Stripe emulator alone on :12111 (EMULATOR_PORT)
	$(MVNW) -q -pl stripe-emulator compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
	java -cp stripe-emulator/target/classes:$$(cat stripe-emulator/target/classpath.txt) \
	  com.anythingagents.stripe.emulator.StripeEmulatorMain --port $(EMULATOR_PORT) $(ARGS)

format: ## apply the one formatter (palantir java format)
	$(MVNW) -q spotless:apply

clean: ## remove build outputs (keeps .local/ data)
	$(MVNW) -q clean
