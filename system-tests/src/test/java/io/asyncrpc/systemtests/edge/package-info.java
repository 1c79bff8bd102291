/**
 * The edge as a client meets it: a real nginx (rendered by {@code scripts/lib/nginx.sh}) in front
 * of the packaged api-service, over HTTPS, with good and bad tokens.
 */
package io.asyncrpc.systemtests.edge;
