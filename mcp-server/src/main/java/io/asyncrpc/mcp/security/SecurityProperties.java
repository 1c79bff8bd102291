package io.asyncrpc.mcp.security;

import io.asyncrpc.token.TokenNames;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How bearer tokens are checked: the same keys and claims as api-service, whose settings these are.
 *
 * @param jwkSetUri ca-service's signing keys (JWKS), re-fetched when a token names an unknown
 *     {@code kid}; required outside the local profile
 * @param issuer the required {@code iss} claim
 * @param audience the {@code aud} value a token must contain
 * @param jwksTimeout connect and read timeout of a JWKS fetch
 */
@ConfigurationProperties("iot.security")
public record SecurityProperties(
    @DefaultValue("http://127.0.0.1:8082/.well-known/jwks.json") URI jwkSetUri,
    @DefaultValue(TokenNames.ISSUER) String issuer,
    @DefaultValue(TokenNames.AUDIENCE) String audience,
    @DefaultValue("5s") Duration jwksTimeout) {}
