# Local stand-in for eclipse-temurin:21-jre, built by scripts/compose-images from Debian packages
# where no image registry can be reached: OpenJDK 21 (headless JRE), curl (the health checks),
# openssl (the device entry point) and CA certificates. Build context: deploy/docker/local.
ARG BASE_IMAGE=iot-async-rpc/local-base:trixie
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      openjdk-21-jre-headless curl ca-certificates openssl \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
ENV LANG=C.UTF-8 \
    JAVA_HOME=/usr/lib/jvm/java-21-openjdk-amd64
CMD ["java", "-version"]
