/**
 * Who is calling: RS256 JWTs from ca-service checked as an OAuth2 resource server, scopes mapped to
 * the routes they allow, and the caller's client id and tenant for the features.
 */
@NullMarked
package io.asyncrpc.api.security;

import org.jspecify.annotations.NullMarked;
