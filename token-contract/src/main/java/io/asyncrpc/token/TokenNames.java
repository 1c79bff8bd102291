package io.asyncrpc.token;

/**
 * The claim names and the default {@code iss} and {@code aud} of the tokens ca-service issues and
 * api-service and the edge accept (each is a setting; these are the defaults both sides share).
 */
public final class TokenNames {

  /** The issuer, ca-service. */
  public static final String ISSUER = "iot-async-rpc-ca";

  /** The audience: the APIs a control-center token is meant for. */
  public static final String AUDIENCE = "iot-async-rpc-api";

  /** The claim naming the tenant of the client a token was issued to. */
  public static final String TENANT_CLAIM = "tenant";

  /** The claim listing a token's scopes, space-separated ({@link Scopes}). */
  public static final String SCOPE_CLAIM = "scope";

  private TokenNames() {}
}
