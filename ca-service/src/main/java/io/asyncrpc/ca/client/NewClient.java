package io.asyncrpc.ca.client;

import java.time.Instant;
import java.util.List;

/**
 * A client just made, with its secret: the only answer that ever shows it.
 *
 * @param id client id
 * @param tenant its tenant
 * @param scopes its scopes
 * @param secret its secret, in clear; only a hash is stored
 * @param createdAt when it was made
 */
record NewClient(String id, String tenant, List<String> scopes, String secret, Instant createdAt) {}
