package io.asyncrpc.api.security;

import java.util.Set;

/**
 * The authenticated control-center client of a request.
 *
 * @param clientId the token's {@code sub}: recorded as a task's {@code client_id}
 * @param tenant the token's {@code tenant}: the only devices and tasks the caller sees
 * @param scopes the token's scopes
 */
public record Caller(String clientId, String tenant, Set<String> scopes) {}
