# Local stand-in for rabbitmq:4.0-management, built by scripts/compose-images: Debian 12 has only
# RabbitMQ 3.10 (no MQTT 5), so the base is trixie's, whose rabbitmq-server is 4.0, the same
# package the local stack runs (scripts/lib/rabbitmq.sh). The interface docker-compose.yml uses:
# the RABBITMQ_* variables of rabbitmq-server, data in /var/lib/rabbitmq (uid/gid 999, as in the
# official image), logs on standard output, rabbitmqctl and rabbitmq-diagnostics on PATH with
# the node's Erlang cookie. Build context: deploy/docker/local.
ARG BASE_IMAGE=iot-async-rpc/local-base:trixie
FROM ${BASE_IMAGE}
RUN groupadd --system --gid 999 rabbitmq \
 && useradd --system --uid 999 --gid rabbitmq --home-dir /var/lib/rabbitmq --shell /bin/sh rabbitmq \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends rabbitmq-server \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
 && install -d -o rabbitmq -g rabbitmq -m 0755 /var/lib/rabbitmq /var/log/rabbitmq /etc/rabbitmq/conf.d
ENV PATH=/usr/lib/rabbitmq/bin:$PATH \
    HOME=/var/lib/rabbitmq \
    RABBITMQ_LOGS=- \
    LANG=C.UTF-8
USER rabbitmq:rabbitmq
VOLUME /var/lib/rabbitmq
EXPOSE 5672 15672 1883 8883
CMD ["rabbitmq-server"]
