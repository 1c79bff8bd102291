package io.asyncrpc.ca;

import io.asyncrpc.ca.pki.Pem;
import java.security.KeyPair;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** CSRs as devices make them, for tests. */
public final class Csrs {

  private Csrs() {}

  /** A PEM CSR for {@code subject} (e.g. {@code CN=SN-1}) signed with {@code keys}. */
  public static String csr(String subject, KeyPair keys) {
    String algorithm =
        keys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    try {
      return Pem.encode(
          new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic())
              .build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }
}
