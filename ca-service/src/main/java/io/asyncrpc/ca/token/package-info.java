/**
 * Control-center tokens: OAuth2 client credentials exchanged for RS256 JWTs, the JWKS, and the
 * checking of those JWTs on this service's own admin endpoints.
 */
@NullMarked
package io.asyncrpc.ca.token;

import org.jspecify.annotations.NullMarked;
