package io.asyncrpc.ca.token;

import java.util.List;

/**
 * A control-center client whose credentials checked out.
 *
 * @param id the client id, the token's {@code sub}
 * @param tenant its tenant, the token's {@code tenant}
 * @param scopes the scopes it holds
 */
public record AuthenticatedClient(String id, String tenant, List<String> scopes) {}
