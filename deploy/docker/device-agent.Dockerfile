# Image of the Java device agent (device-agent CLI). Its entry point enrolls the device at
# ca-service on first start (own key, CSR, certificate), then runs the agent over MQTT 5 with
# mTLS; see deploy/docker/device-entrypoint.sh. Build context: the repository root. Needs
# BuildKit (docker buildx, or docker compose v2) for the cache mount and COPY --chmod. Build
# arguments JDK_IMAGE, JRE_IMAGE and JAR_FROM (maven or prebuilt) as in service.Dockerfile.
#
#   docker build -f deploy/docker/device-agent.Dockerfile .

ARG JDK_IMAGE=maven:3.9-eclipse-temurin-21
ARG JRE_IMAGE=eclipse-temurin:21-jre
ARG JAR_FROM=maven

FROM ${JDK_IMAGE} AS jar-maven
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl device-agent -am package -DskipTests -Dspotless.check.skip=true \
 && cp device-agent/target/device-agent-*-cli.jar /tmp/device-agent.jar

# The CLI jar of the host's build (`./mvnw -pl device-agent -am package`).
FROM ${JRE_IMAGE} AS jar-prebuilt
COPY . /src/
RUN cp /src/device-agent/target/device-agent-*-cli.jar /tmp/device-agent.jar && rm -rf /src

FROM jar-${JAR_FROM} AS build

FROM ${JRE_IMAGE}
ARG APP_UID=10001
LABEL org.opencontainers.image.title="iot-async-rpc device-agent" \
      org.opencontainers.image.source="deploy/docker/device-agent.Dockerfile"
# jq reads the API's answers during enrollment; curl comes with the Temurin image (and the local
# stand-in).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends jq \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid "$APP_UID" iotcore \
 && useradd --system --uid "$APP_UID" --gid iotcore --home-dir /var/lib/iotcore-device \
      --shell /usr/sbin/nologin iotcore \
 && install -d -o "$APP_UID" -g "$APP_UID" -m 0700 /var/lib/iotcore-device
COPY --from=build /tmp/device-agent.jar /opt/iotcore/device-agent.jar
COPY --chmod=0755 deploy/docker/device-entrypoint.sh /opt/iotcore/device-entrypoint.sh
USER ${APP_UID}:${APP_UID}
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50"
# Healthy once enrolled and the agent process runs (PID 1 after the entry point's exec).
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=3 \
  CMD test -s "/var/lib/iotcore-device/${IOTCORE_DEVICE_ID}/device.pem" && kill -0 1
ENTRYPOINT ["/opt/iotcore/device-entrypoint.sh"]
