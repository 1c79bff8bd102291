package io.asyncrpc.ca.token;

import io.asyncrpc.token.TokenNames;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The JWTs this service issues (and accepts on its own admin endpoints).
 *
 * @param issuer the {@code iss} claim
 * @param audience the {@code aud} claim: the APIs the token is meant for
 * @param ttl lifetime of a token ({@code exp - iat}); there is no refresh token, a client asks
 *     again
 * @param clockSkew tolerance when this service checks {@code exp}/{@code nbf} of a token it
 *     receives
 */
@ConfigurationProperties("iot.ca.token")
public record TokenProperties(
    @DefaultValue(TokenNames.ISSUER) String issuer,
    @DefaultValue(TokenNames.AUDIENCE) String audience,
    @DefaultValue("15m") Duration ttl,
    @DefaultValue("30s") Duration clockSkew) {}
