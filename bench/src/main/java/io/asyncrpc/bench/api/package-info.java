/** The REST API alone: task accepts per second and their latency under a closed-loop load. */
package io.asyncrpc.bench.api;
