package io.asyncrpc.ca.client;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A new control-center client.
 *
 * @param id the client id: 1 to 64 of {@code A-Z a-z 0-9 _ . -}
 * @param tenant its tenant; the caller's own when absent
 * @param scopes its scopes: a subset of the caller's
 */
record CreateClientRequest(
    @NotNull
        @Pattern(regexp = "[A-Za-z0-9_.-]{1,64}", message = "must be 1 to 64 of A-Z a-z 0-9 _ . -")
        String id,
    @Pattern(regexp = "[A-Za-z0-9_.-]{1,64}", message = "must be 1 to 64 of A-Z a-z 0-9 _ . -")
        @Nullable String tenant,
    @NotEmpty List<@NotNull String> scopes) {}
