package io.asyncrpc.web.security;

import io.asyncrpc.token.TokenNames;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How bearer tokens are checked, alike in every service that accepts control-center tokens.
 *
 * @param jwkSetUri where ca-service publishes its signing keys (JWKS); keys are fetched on demand
 *     and again when a token names an unknown {@code kid}, so a key rollover needs no restart;
 *     required outside the local profile
 * @param issuer the required {@code iss} claim
 * @param audience the {@code aud} value a token must contain
 * @param jwksTimeout connect and read timeout of a JWKS fetch: long enough for a busy ca-service,
 *     short enough that a request waiting on it does not hang
 * @param verifiedTokens how many verified tokens are remembered until they expire, so a token sent
 *     again skips the signature check ({@code 0}: every request is verified)
 */
@ConfigurationProperties("iot.security")
public record TokenCheckProperties(
    @DefaultValue("http://127.0.0.1:8082/.well-known/jwks.json") URI jwkSetUri,
    @DefaultValue(TokenNames.ISSUER) String issuer,
    @DefaultValue(TokenNames.AUDIENCE) String audience,
    @DefaultValue("5s") Duration jwksTimeout,
    @DefaultValue("10000") int verifiedTokens) {}
