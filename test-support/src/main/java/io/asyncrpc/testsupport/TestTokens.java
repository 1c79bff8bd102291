package io.asyncrpc.testsupport;

import com.sun.net.httpserver.HttpServer;
import io.asyncrpc.token.KeyIds;
import io.asyncrpc.token.TokenNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Mints RS256 JWTs shaped like ca-service's for tests, with a key pair of its own, and serves that
 * key as a JWKS over HTTP on an ephemeral loopback port (for a service's {@code
 * iot.security.jwk-set-uri}). Test keys only: never trusted outside a test run.
 *
 * <p>{@link #shared()} is the key of the test JVM; {@link #generate()} makes another one, for the
 * "signed by a key nobody trusts" cases. The builder can also produce the tokens an attacker would
 * try: {@code alg: none}, HS256 keyed with the public key, a tampered payload.
 */
public final class TestTokens {

  /** The issuer ca-service writes into its tokens. */
  public static final String ISSUER = TokenNames.ISSUER;

  /** The audience of tokens for the control-center API. */
  public static final String AUDIENCE = TokenNames.AUDIENCE;

  private static @Nullable TestTokens shared;

  private final KeyPair keys;
  private final String kid;
  private @Nullable HttpServer jwks;

  private TestTokens(KeyPair keys) {
    this.keys = keys;
    this.kid = KeyIds.thumbprint((RSAPublicKey) keys.getPublic());
  }

  /** The key of this test JVM, made on first use. */
  public static synchronized TestTokens shared() {
    if (shared == null) {
      shared = generate();
    }
    return shared;
  }

  /** A new key pair (RSA 2048). */
  public static TestTokens generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return new TestTokens(generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key id: the RFC 7638 thumbprint of the public key, as ca-service names its keys. */
  public String kid() {
    return kid;
  }

  /** The public key as an SPKI PEM ({@code -----BEGIN PUBLIC KEY-----}), as nginx reads it. */
  public String publicKeyPem() {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(keys.getPublic().getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
  }

  /** The JWKS document with this public key. */
  public String jwksJson() {
    RSAPublicKey key = (RSAPublicKey) keys.getPublic();
    return "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"%s\",\"n\":\"%s\",\"e\":\"%s\"}]}"
        .formatted(kid, b64(unsigned(key.getModulus())), b64(unsigned(key.getPublicExponent())));
  }

  /** The URL of this key's JWKS, served from this JVM; the server starts on first call. */
  public synchronized String jwkSetUri() {
    if (jwks == null) {
      try {
        jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      byte[] body = jwksJson().getBytes(StandardCharsets.UTF_8);
      jwks.createContext(
          "/.well-known/jwks.json",
          exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      jwks.start();
    }
    return "http://127.0.0.1:" + jwks.getAddress().getPort() + "/.well-known/jwks.json";
  }

  /** A valid token for {@code clientId} of {@code tenant} with {@code scopes}, for 15 minutes. */
  public String token(String clientId, String tenant, String... scopes) {
    return builder().subject(clientId).tenant(tenant).scopes(scopes).build();
  }

  /** A builder of a valid token (subject {@code test-client}, tenant {@code default}). */
  public Builder builder() {
    return new Builder();
  }

  /** The token with its payload replaced by {@code json} and the original signature kept. */
  public static String withPayload(String token, String json) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + b64(json.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
  }

  /** The decoded payload of a token, as JSON text. */
  public static String payloadOf(String token) {
    return new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
  }

  /** Builds one token; every claim and header field can be changed to make an invalid one. */
  public final class Builder {

    private final Map<String, Object> header = new LinkedHashMap<>();
    private final Map<String, Object> claims = new LinkedHashMap<>();
    private String alg = "RS256";

    private Builder() {
      Instant now = Instant.now();
      header.put("kid", kid);
      header.put("typ", "JWT");
      claims.put("iss", ISSUER);
      claims.put("aud", AUDIENCE);
      claims.put("sub", "test-client");
      claims.put("tenant", "default");
      claims.put("scope", "tasks:read tasks:write devices:admin");
      claims.put("iat", now.getEpochSecond());
      claims.put("nbf", now.getEpochSecond());
      claims.put("exp", now.plus(Duration.ofMinutes(15)).getEpochSecond());
      claims.put("jti", UUID.randomUUID().toString());
    }

    public Builder subject(String subject) {
      return claim("sub", subject);
    }

    public Builder tenant(String tenant) {
      return claim("tenant", tenant);
    }

    /** The {@code scope} claim: the scopes space-separated (none: an empty string). */
    public Builder scopes(String... scopes) {
      return claim("scope", String.join(" ", scopes));
    }

    public Builder issuer(String issuer) {
      return claim("iss", issuer);
    }

    public Builder audience(String audience) {
      return claim("aud", audience);
    }

    public Builder notBefore(Instant at) {
      return claim("nbf", at.getEpochSecond());
    }

    public Builder expiresAt(Instant at) {
      return claim("exp", at.getEpochSecond());
    }

    public Builder issuedAt(Instant at) {
      return claim("iat", at.getEpochSecond());
    }

    /** Sets a claim; a null value removes it. */
    public Builder claim(String name, Object value) {
      if (value == null) {
        claims.remove(name);
      } else {
        claims.put(name, value);
      }
      return this;
    }

    public Builder kid(String value) {
      header.put("kid", value);
      return this;
    }

    /** An unsigned token: {@code alg: none} and an empty signature. */
    public String buildUnsigned() {
      alg = "none";
      return signingInput() + ".";
    }

    /**
     * An HS256 token whose HMAC key is the public key's PEM text: the classic algorithm confusion
     * attack on verifiers that take the algorithm from the token.
     */
    public String buildHs256WithPublicKey() {
      alg = "HS256";
      String input = signingInput();
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(
            new SecretKeySpec(publicKeyPem().getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The RS256 token signed with this key. */
    public String build() {
      alg = "RS256";
      String input = signingInput();
      try {
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(keys.getPrivate());
        signer.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64(signer.sign());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    private String signingInput() {
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("alg", alg);
      h.putAll(header);
      return b64(json(h).getBytes(StandardCharsets.UTF_8))
          + "."
          + b64(json(claims).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A minimal JSON writer for strings, numbers, booleans and lists of them. */
  private static String json(Object value) {
    if (value instanceof Map<?, ?> map) {
      List<String> fields = new ArrayList<>();
      map.forEach((k, v) -> fields.add(json(String.valueOf(k)) + ":" + json(v)));
      return "{" + String.join(",", fields) + "}";
    }
    if (value instanceof List<?> list) {
      return "[" + String.join(",", list.stream().map(TestTokens::json).toList()) + "]";
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    StringBuilder out = new StringBuilder("\"");
    for (char c : String.valueOf(value).toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static byte[] unsigned(BigInteger value) {
    return KeyIds.unsigned(value);
  }

  private static String b64(byte[] bytes) {
    return KeyIds.base64Url(bytes);
  }
}
