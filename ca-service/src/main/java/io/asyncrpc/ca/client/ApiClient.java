package io.asyncrpc.ca.client;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A row of {@code api_clients}.
 *
 * @param id client id
 * @param tenant its tenant
 * @param secretHash the encoded secret hash ({@code {bcrypt}...})
 * @param scopes its scopes
 * @param createdAt when it was made
 * @param disabledAt when it was disabled, or null
 */
record ApiClient(
    String id,
    String tenant,
    String secretHash,
    List<String> scopes,
    Instant createdAt,
    @Nullable Instant disabledAt) {}
