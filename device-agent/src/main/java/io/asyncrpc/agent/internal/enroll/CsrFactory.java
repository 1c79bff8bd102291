package io.asyncrpc.agent.internal.enroll;

import io.asyncrpc.agent.internal.tls.PemFiles;
import io.asyncrpc.protocol.DeviceId;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Makes the device's key pair (EC P-256, with the JVM's own providers) and a PKCS#10 CSR for it
 * with subject {@code CN=<device id>}, signed with that key (proof of possession).
 */
public final class CsrFactory {

  private CsrFactory() {}

  /** A new EC P-256 key pair. */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make EC P-256 keys", e);
    }
  }

  /** The CSR for {@code deviceId}, signed with SHA256withECDSA. */
  public static PKCS10CertificationRequest csr(DeviceId deviceId, KeyPair keyPair) {
    // The builder escapes the value; the device id's own syntax allows no special character.
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, deviceId.value()).build();
    try {
      return new JcaPKCS10CertificationRequestBuilder(subject, keyPair.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate()));
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign a CSR with SHA256withECDSA", e);
    }
  }

  /** {@code csr} as PEM ({@code BEGIN CERTIFICATE REQUEST}). */
  public static String pem(PKCS10CertificationRequest csr) {
    try {
      return PemFiles.pem("CERTIFICATE REQUEST", csr.getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the CSR", e);
    }
  }
}
