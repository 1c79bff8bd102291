package io.asyncrpc.ca.token;

/**
 * The answer of the token endpoint (RFC 6749 section 5.1).
 *
 * @param accessToken the signed JWT
 * @param tokenType always {@code Bearer}
 * @param expiresIn seconds until it expires
 * @param scope the granted scopes, space-separated
 */
public record IssuedToken(String accessToken, String tokenType, long expiresIn, String scope) {}
