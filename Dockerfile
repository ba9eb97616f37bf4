# syntax=docker/dockerfile:1
#
# Build:  make docker-image        (docker build -t unidler:dev .)
# Run:    make docker-run          (mounts your kubeconfig; in a cluster, deploy/ runs it in-cluster)
#
# The final image holds a JRE and the application, split into Spring Boot's layers so that a code
# change rebuilds only the small last layer. `make layered-jar-check` extracts and starts the jar
# exactly as below, so the layout is tested without a Docker engine.

# --- build ----------------------------------------------------------------------------------------
FROM eclipse-temurin:25-jdk AS build
WORKDIR /build

# Dependencies first: this layer is reused until pom.xml or the wrapper changes.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q dependency:go-offline

COPY src/ src/
# Tests need a Kubernetes control plane; they run in CI (make test), not in the image build.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -Dmaven.test.skip=true package \
 && cp target/unidler-*.jar app.jar \
 && java -Djarmode=tools -jar app.jar extract --layers --application-filename app.jar --destination extracted

# --- runtime --------------------------------------------------------------------------------------
FROM eclipse-temurin:25-jre

# A fixed numeric UID, so that Kubernetes can verify runAsNonRoot.
RUN groupadd --system --gid 10001 unidler \
 && useradd --system --uid 10001 --gid unidler --home-dir /app --shell /usr/sbin/nologin unidler

WORKDIR /app
# Least to most often changed; keep this order in scripts/image-jvm.sh (LAYERS).
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./
# The licences of what the image ships (NOTICE files must travel with the binaries).
COPY vendor-licenses/ /licenses/
# How the JVM starts (its options, and why, are in the script; layered-jar-check and the benchmark use
# the same script). The AOT cache must be made by the JVM that uses it, so the training run happens
# here, in the runtime image: it builds the application context and exits without touching a network.
COPY scripts/image-jvm.sh /usr/local/bin/image-jvm.sh
RUN image-jvm.sh train /app

USER 10001:10001
ENV PORT=8080
EXPOSE 8080
# exec form, and the script execs java: java is PID 1 and receives SIGTERM, so graceful shutdown runs.
ENTRYPOINT ["image-jvm.sh", "run", "/app"]
