# mDNS announcement for local deployments (compose profile `mdns`): avahi-daemon with the service
# files of mdns/avahi/ (the broker's MQTT over TLS as _secure-mqtt._tcp, the API at the edge as
# _https._tcp), ports taken from the deployment's settings. It needs the host's network so that
# multicast reaches the LAN. Build context: the repository root.
#
#   docker build -f deploy/docker/mdns.Dockerfile .

ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends avahi-daemon \
 && rm -rf /var/lib/apt/lists/*
COPY mdns/avahi/ /opt/iotcore/avahi/
COPY --chmod=0755 deploy/docker/mdns-entrypoint.sh /opt/iotcore/mdns-entrypoint.sh
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 CMD avahi-daemon --check
ENTRYPOINT ["/opt/iotcore/mdns-entrypoint.sh"]
