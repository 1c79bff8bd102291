# syntax=docker/dockerfile:1
# Image of one Spring Boot service of the IoT Async-RPC Core: api-service, core-service or
# ca-service (build argument MODULE; docker-compose.yml builds all three from this file).
# Build context: the repository root (the Maven reactor needs the parent POM and the modules).
# Needs BuildKit (docker buildx, or docker compose v2): a cache mount keeps ~/.m2 between builds.
#
#   docker build -f deploy/docker/service.Dockerfile --build-arg MODULE=core-service --build-arg PORT=8081 .

ARG JDK_IMAGE=maven:3.9-eclipse-temurin-21
ARG JRE_IMAGE=eclipse-temurin:21-jre

# --- build: the module and what it depends on, then the jar split into its layers -------------
FROM ${JDK_IMAGE} AS build
ARG MODULE
WORKDIR /src
COPY . .
# Formatting is checked by the project's own build (scripts/test), not again here.
RUN --mount=type=cache,target=/root/.m2 \
    test -n "$MODULE" \
 && mvn -B -q -pl "$MODULE" -am package -DskipTests -Dspotless.check.skip=true \
 && cp "$MODULE"/target/"$MODULE"-*.jar /tmp/app.jar \
 && java -Djarmode=tools -jar /tmp/app.jar extract --layers --launcher --destination /layers

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
# curl comes with the Temurin image. Readiness: the service can take traffic (database, broker).
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${SERVER_PORT}/actuator/health/readiness" >/dev/null || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
