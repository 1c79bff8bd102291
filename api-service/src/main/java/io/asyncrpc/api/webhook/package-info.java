/**
 * Signed webhooks: a tenant's endpoints, the fan-out of the tenant event log to durable deliveries,
 * and the senders that post them (Standard Webhooks signatures, retries with backoff, endpoints
 * disabled when they keep failing); docs/webhooks.md.
 */
@NullMarked
package io.asyncrpc.api.webhook;

import org.jspecify.annotations.NullMarked;
