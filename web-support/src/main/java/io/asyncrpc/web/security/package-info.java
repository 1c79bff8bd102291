/**
 * The OAuth2 resource-server side of the control-center tokens, shared by the services that accept
 * them (api-service, mcp-server): RS256 JWTs from ca-service's JWKS with their claims checked, a
 * stateless bearer-only filter chain, and 401, 403 and 503 as problems. Each service adds only its
 * routes' scopes ({@link io.asyncrpc.web.security.ResourceServerConfiguration}).
 */
@NullMarked
package io.asyncrpc.web.security;

import org.jspecify.annotations.NullMarked;
