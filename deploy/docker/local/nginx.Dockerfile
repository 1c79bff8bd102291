# Local stand-in for nginx:stable (with its njs module), built by scripts/compose-images from
# Debian's nginx and libnginx-mod-http-js, plus what docker-compose.yml's users of the image need:
# bash and openssl (the bootstrap service), curl (the health check). Its entry point runs the
# executable /docker-entrypoint.d/*.sh before an nginx command, as the official image's does.
# Build context: deploy/docker/local.
ARG BASE_IMAGE=iot-async-rpc/local-base:trixie
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      nginx libnginx-mod-http-js openssl curl ca-certificates \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /etc/nginx/sites-enabled/* \
 && install -d /docker-entrypoint.d
COPY nginx-entrypoint.sh /docker-entrypoint.sh
ENTRYPOINT ["bash", "/docker-entrypoint.sh"]
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
