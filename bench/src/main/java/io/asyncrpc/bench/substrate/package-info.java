/**
 * The substrate limit: the broker's bare MQTT 5 request/response round trips with no core in the
 * path, the ceiling the task lifecycle is compared with.
 */
@NullMarked
package io.asyncrpc.bench.substrate;

import org.jspecify.annotations.NullMarked;
