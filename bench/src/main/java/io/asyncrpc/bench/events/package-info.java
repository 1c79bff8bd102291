/**
 * Telling clients instead of being polled: idle event streams per api-service, waiting requests
 * against status polling, and webhook delivery, each against a baseline of the same run.
 */
package io.asyncrpc.bench.events;
