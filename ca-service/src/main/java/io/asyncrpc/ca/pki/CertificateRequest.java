package io.asyncrpc.ca.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.List;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.jspecify.annotations.Nullable;

/**
 * A device's CSR that passed the checks that need no database: it is a PEM PKCS#10 request, its
 * self-signature verifies (the requester holds the private key) and its key is acceptable.
 *
 * @param commonName the single CN of the requested subject, or null when it has none or several
 * @param publicKey the key to certify
 */
public record CertificateRequest(@Nullable String commonName, PublicKey publicKey) {

  /**
   * Parses and checks a PEM CSR.
   *
   * @throws InvalidCsrException when it is not a well-formed, correctly self-signed request
   * @throws WeakKeyException when its key is not accepted
   */
  public static CertificateRequest parse(String pem) {
    PKCS10CertificationRequest csr = decode(pem);
    try {
      boolean valid =
          csr.isSignatureValid(
              new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()));
      if (!valid) {
        throw new InvalidCsrException("the CSR's signature does not verify with its public key");
      }
    } catch (OperatorCreationException | PKCSException | IllegalArgumentException e) {
      throw new InvalidCsrException("the CSR's signature cannot be verified: " + e.getMessage());
    }
    KeyPolicy.check(csr.getSubjectPublicKeyInfo());
    PublicKey key;
    try {
      key = new JcaPKCS10CertificationRequest(csr).getPublicKey();
    } catch (GeneralSecurityException e) {
      throw new InvalidCsrException("the CSR's public key cannot be read");
    }
    RDN[] cns = csr.getSubject().getRDNs(BCStyle.CN);
    String cn =
        cns.length == 1
                && !cns[0].isMultiValued()
                && cns[0].getFirst().getValue() instanceof ASN1String value
            ? value.getString()
            : null;
    return new CertificateRequest(cn, key);
  }

  private static PKCS10CertificationRequest decode(String pem) {
    if (pem == null || pem.isBlank()) {
      throw new InvalidCsrException("'csr' must be a PEM PKCS#10 certificate signing request");
    }
    List<Object> objects;
    try {
      objects = Pem.decodeAll(pem);
    } catch (IOException | RuntimeException e) {
      throw new InvalidCsrException("'csr' is not readable PEM: " + e.getMessage());
    }
    if (objects.size() != 1 || !(objects.getFirst() instanceof PKCS10CertificationRequest csr)) {
      throw new InvalidCsrException(
          "'csr' must hold exactly one PEM block 'CERTIFICATE REQUEST' (PKCS#10)");
    }
    return csr;
  }
}
