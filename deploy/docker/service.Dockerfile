# Image of one Spring Boot service of the IoT Async-RPC Core: api-service, core-service,
# ca-service or mcp-server (build argument MODULE; docker-compose.yml builds all four from this
# file). Build context: the repository root (the Maven reactor needs the parent POM and the
# modules). Needs BuildKit (docker buildx, or docker compose v2): a cache mount keeps ~/.m2
# between builds. No `# syntax=` line: it would fetch the Dockerfile frontend from a registry;
# the engine's own frontend (Docker 20.10 and later) reads this file.
#
#   docker build -f deploy/docker/service.Dockerfile --build-arg MODULE=core-service --build-arg PORT=8081 .
#
# Build arguments (docker-compose.yml passes them from IOTCORE_* settings):
#   JDK_IMAGE  the Maven + JDK 21 image of the in-image build (JAR_FROM=maven)
#   JRE_IMAGE  the runtime: a JRE 21 with curl (local stand-in: scripts/compose-images)
#   JAR_FROM   maven (default): the jar is built here with Maven, its dependencies fetched as the
#              project's build fetches them, from Maven Central; prebuilt: the jar the host built
#              (`./mvnw -pl MODULE -am package`) is taken from MODULE/target/ (.dockerignore lets
#              only the services' jars in), so an offline image build needs no repository at all

ARG JDK_IMAGE=maven:3.9-eclipse-temurin-21
ARG JRE_IMAGE=eclipse-temurin:21-jre
ARG JAR_FROM=maven

# --- the jar: built with Maven, or taken from the host's build (JAR_FROM) ---------------------
FROM ${JDK_IMAGE} AS jar-maven
ARG MODULE
WORKDIR /src
COPY . .
# Formatting is checked by the project's own build (scripts/test), not again here.
RUN --mount=type=cache,target=/root/.m2 \
    test -n "$MODULE" \
 && mvn -B -q -pl "$MODULE" -am package -DskipTests -Dspotless.check.skip=true \
 && cp "$MODULE"/target/"$MODULE"-*.jar /tmp/app.jar

# The context holds no other build output (.dockerignore), so the glob finds the module's jar.
FROM ${JRE_IMAGE} AS jar-prebuilt
ARG MODULE
COPY . /src/
RUN test -n "$MODULE" && cp /src/"$MODULE"/target/"$MODULE"-*.jar /tmp/app.jar && rm -rf /src

# --- the jar split into its layers -----------------------------------------------------------
FROM jar-${JAR_FROM} AS build
RUN java -Djarmode=tools -jar /tmp/app.jar extract --layers --launcher --destination /layers

# --- runtime: JRE only, non-root, one image layer per Spring Boot layer ----------------------
FROM ${JRE_IMAGE}
ARG MODULE
ARG PORT=8080
ARG APP_UID=10001
LABEL org.opencontainers.image.title="iot-async-rpc ${MODULE}" \
      org.opencontainers.image.source="deploy/docker/service.Dockerfile"
RUN groupadd --system --gid "$APP_UID" iotcore \
 && useradd --system --uid "$APP_UID" --gid iotcore --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin iotcore
WORKDIR /app
# Least to most often changed: a code change rebuilds only the last layer.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
USER ${APP_UID}:${APP_UID}
ENV SERVER_PORT=${PORT} \
    MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED=true \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE ${PORT}
# curl comes with the Temurin image (and the local stand-in). Readiness: the service can take traffic (database, broker).
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${SERVER_PORT}/actuator/health/readiness" >/dev/null || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
