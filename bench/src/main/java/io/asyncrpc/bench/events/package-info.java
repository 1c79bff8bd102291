/**
 * Telling clients instead of being polled: idle event streams per api-service, waiting requests
 * against status polling, and webhook delivery, each against a baseline of the same run.
 */
@NullMarked
package io.asyncrpc.bench.events;

import org.jspecify.annotations.NullMarked;
