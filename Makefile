# Everyday commands. `make` (or `make help`) lists them. Targets that need Java find a JDK 21+ by
# themselves (scripts/find-jdk.sh) when the default `java` is older.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help

IMAGE ?= unidler:dev
CLUSTER_DIR ?= .cluster

# First line of every Java recipe: export JAVA_HOME of a JDK 21+ (or stop with the reason).
USE_JDK = JAVA_HOME=$$(scripts/find-jdk.sh); export JAVA_HOME; export PATH="$$JAVA_HOME/bin:$$PATH"
MVNW = ./mvnw -B
# The jar `package` builds (its name carries the version).
JAR = $$(ls target/unidler-*.jar)

.PHONY: help
help: ## List the targets
	@awk 'BEGIN { FS = ":.*## " } /^[a-zA-Z0-9_-]+:.*## / { printf "  %-18s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

.PHONY: run
run: package ## Run the unidler on $PORT (default 8080) against the current kube context
	@$(USE_JDK)
	exec java -jar $(JAR)

.PHONY: demo
demo: ## Local cluster, idled sample apps, the unidler and an ingress stand-in; Ctrl-C stops it all
	@scripts/demo.sh

.PHONY: test
test: ## Every check CI runs: licences, tools, ./mvnw verify (real control plane, Chromium, Prometheus), layered-jar check
	@$(USE_JDK)
	scripts/licenses.sh check
	# Installs what the tests need when it is missing, saying so: etcd (Debian), the Kubernetes
	# binaries (built from the Go module proxy) and kwok; Chromium and chromedriver (Debian);
	# Prometheus (Debian), which the metrics test runs itself.
	scripts/install-tools.sh >/dev/null
	scripts/install-browser.sh >/dev/null
	scripts/install-prometheus.sh >/dev/null
	# The tests and the layered-jar check share one cluster: UNIDLER_TEST_KUBECONFIG's, or one in
	# target/cluster (where the tests look first), stopped at the end when this run started it.
	kubeconfig=$${UNIDLER_TEST_KUBECONFIG:-}
	if [ -z "$$kubeconfig" ]; then
	  export CLUSTER_DIR=target/cluster
	  if ! scripts/cluster.sh status >/dev/null 2>&1; then
	    trap 'scripts/cluster.sh down' EXIT
	  fi
	  kubeconfig=$$(scripts/cluster.sh up)
	fi
	$(MVNW) verify
	scripts/licenses.sh shipped target/unidler-*.jar
	UNIDLER_KUBECONFIG=$$kubeconfig scripts/layered-jar-check.sh

.PHONY: bench
bench: ## Benchmark against a local control plane: prints a table of figures, writes docs/benchmarks.md (~8 min)
	@$(USE_JDK)
	# make test's set-up: the cluster tools, and one cluster in target/cluster, stopped at the end
	# when this run started it.
	scripts/install-tools.sh >/dev/null
	export CLUSTER_DIR=target/cluster
	if ! scripts/cluster.sh status >/dev/null 2>&1; then
	  trap 'scripts/cluster.sh down' EXIT
	fi
	kubeconfig=$$(scripts/cluster.sh up)
	# The unidler runs from the packaged jar; the benchmark itself is test code.
	$(MVNW) -q -DskipTests package
	$(MVNW) -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
	# 10,000 event streams need as many file descriptors in each JVM.
	ulimit -n "$$(ulimit -Hn)" 2>/dev/null || true
	java -cp "target/test-classes:target/classes:$$(cat target/bench-classpath.txt)" dev.unidler.bench.Bench \
	  full "$$kubeconfig" $(JAR)

.PHONY: package
package: ## Build the application jar into target/ (no tests)
	@$(USE_JDK)
	$(MVNW) -q -DskipTests package
	echo "built $(JAR)"

.PHONY: layered-jar-check
layered-jar-check: package ## Extract the jar and start it exactly as the Dockerfile does; check /healthz
	@$(USE_JDK)
	scripts/layered-jar-check.sh

.PHONY: docker-image
docker-image: ## Build the container image (IMAGE, default unidler:dev; needs a Docker engine)
	docker build -t $(IMAGE) .

.PHONY: docker-run
docker-run: ## Run the image on port 8080 with your kubeconfig mounted (KUBECONFIG or ~/.kube/config)
	@kubeconfig=$${KUBECONFIG:-$$HOME/.kube/config}
	kubeconfig=$${kubeconfig%%:*}
	[ -f "$$kubeconfig" ] || { echo "no kubeconfig at $$kubeconfig: set KUBECONFIG" >&2; exit 1; }
	docker run --rm -it -p 8080:8080 -v "$$kubeconfig:/config/kubeconfig:ro" \
	  -e UNIDLER_KUBECONFIG=/config/kubeconfig $(DOCKER_RUN_ARGS) $(IMAGE)

.PHONY: cluster-up
cluster-up: ## Start the local control plane in .cluster/ (kubeconfig: .cluster/kubeconfig)
	@scripts/install-tools.sh >/dev/null
	CLUSTER_DIR=$(CLUSTER_DIR) scripts/cluster.sh up

.PHONY: cluster-down
cluster-down: ## Stop the local control plane in .cluster/ and remove its state
	@CLUSTER_DIR=$(CLUSTER_DIR) scripts/cluster.sh down

.PHONY: licenses
licenses: ## Regenerate vendor-licenses/ from the runtime dependencies (offline)
	@$(USE_JDK)
	scripts/licenses.sh generate

.PHONY: licenses-check
licenses-check: ## Fail when vendor-licenses/ is out of date
	@$(USE_JDK)
	scripts/licenses.sh check

.PHONY: format
format: ## Apply the source formatter (the build fails on unformatted code)
	@$(USE_JDK)
	./mvnw -q spring-javaformat:apply

.PHONY: clean
clean: ## Remove target/ (stops nothing: run cluster-down first if a cluster runs)
	@rm -rf target
