package io.asyncrpc.ca.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import io.asyncrpc.ca.pki.Pem;
import io.asyncrpc.ca.pki.PkiFiles;
import io.asyncrpc.ca.pki.PkiProperties;
import io.asyncrpc.token.KeyIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The RSA key pair that signs JWTs, from the PKI directory, and during a key rollover the previous
 * public key ({@code jwt-signing.previous.pub.pem}), published beside it. Its {@code kid} is the
 * RFC 7638 thumbprint of the public key: stable across restarts and instances, and new when the key
 * is rotated, without any configuration.
 */
@Component
public class SigningKey {

  private final RSAKey jwk;
  private final JWKSet publicKeys;

  public SigningKey(PkiProperties properties) {
    Path dir = properties.pkiDir();
    PrivateKey privateKey = Pem.readPrivateKey(dir.resolve(PkiFiles.JWT_SIGNING_KEY));
    PublicKey publicKey = Pem.readPublicKey(dir.resolve(PkiFiles.JWT_SIGNING_PUBLIC_KEY));
    if (!(privateKey instanceof RSAPrivateKey rsaPrivate)
        || !(publicKey instanceof RSAPublicKey rsaPublic)) {
      throw new IllegalStateException(
          PkiFiles.JWT_SIGNING_KEY + " and " + PkiFiles.JWT_SIGNING_PUBLIC_KEY + " must be RSA");
    }
    if (!rsaPrivate.getModulus().equals(rsaPublic.getModulus())) {
      throw new IllegalStateException(
          PkiFiles.JWT_SIGNING_PUBLIC_KEY
              + " is not the public half of "
              + PkiFiles.JWT_SIGNING_KEY);
    }
    // The kid is the key's RFC 7638 thumbprint (token-contract's KeyIds, as the edge computes it).
    this.jwk =
        new RSAKey.Builder(rsaPublic)
            .privateKey(rsaPrivate)
            .keyUse(KeyUse.SIGNATURE)
            .keyID(KeyIds.thumbprint(rsaPublic))
            .algorithm(JWSAlgorithm.RS256)
            .build();
    List<JWK> keys = new ArrayList<>();
    keys.add(jwk.toPublicJWK());
    Path previous = dir.resolve(PkiFiles.JWT_SIGNING_PREVIOUS_PUBLIC_KEY);
    if (Files.exists(previous)) {
      // Kid rollover: tokens signed with the previous key stay verifiable until they expire.
      if (!(Pem.readPublicKey(previous) instanceof RSAPublicKey old)) {
        throw new IllegalStateException(previous + " must be an RSA public key");
      }
      keys.add(
          new RSAKey.Builder(old)
              .keyUse(KeyUse.SIGNATURE)
              .keyID(KeyIds.thumbprint(old))
              .algorithm(JWSAlgorithm.RS256)
              .build());
    }
    this.publicKeys = new JWKSet(keys);
  }

  /** The key id, the JWT header's {@code kid}. */
  public String keyId() {
    return jwk.getKeyID();
  }

  /** The private and public key, for signing. */
  RSAKey jwk() {
    return jwk;
  }

  /** The public keys that verify tokens: the current one, and the previous during a rollover. */
  public JWKSet publicKeys() {
    return publicKeys;
  }

  /** The public key set as {@code /.well-known/jwks.json} serves it. */
  public Map<String, Object> publicJwks() {
    return publicKeys.toJSONObject(true);
  }
}
