package io.asyncrpc.ca.pki;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.springframework.stereotype.Component;

/**
 * The device intermediate CA: its certificate, private key and chain, loaded once from the PKI
 * directory. Start-up fails when a file is missing or the key does not belong to the certificate.
 */
@Component
public class DeviceCa {

  private final PrivateKey key;
  private final X509Certificate certificate;
  private final List<X509Certificate> chain;

  public DeviceCa(PkiProperties properties) {
    Path dir = properties.pkiDir();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "iot.ca.pki-dir (IOTCORE_PKI_DIR) must name the PKI directory made by pki/bootstrap.sh;"
              + " got "
              + dir);
    }
    this.certificate = Pem.readCertificates(dir.resolve(PkiFiles.DEVICE_CA)).getFirst();
    this.key = Pem.readPrivateKey(dir.resolve(PkiFiles.DEVICE_CA_KEY));
    this.chain = List.copyOf(Pem.readCertificates(dir.resolve(PkiFiles.DEVICE_CA_CHAIN)));
    checkKeyMatches(key, certificate);
    if (!chain.getFirst().equals(certificate)) {
      throw new IllegalStateException(
          PkiFiles.DEVICE_CA_CHAIN + " must start with the certificate of " + PkiFiles.DEVICE_CA);
    }
  }

  /** The CA certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** Device CA then root, as given to devices. */
  public List<X509Certificate> chain() {
    return chain;
  }

  /** The chain as PEM text. */
  public String chainPem() {
    return Pem.encodeAll(chain);
  }

  PrivateKey key() {
    return key;
  }

  /**
   * The authority key identifier of what this CA signs: its own subject key identifier when its
   * certificate has one (so verifiers match it whatever hash made it), else the SHA-1 of its key.
   */
  AuthorityKeyIdentifier authorityKeyIdentifier() {
    byte[] ski = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    if (ski != null) {
      return new AuthorityKeyIdentifier(
          SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ski).getOctets())
              .getKeyIdentifier());
    }
    try {
      return new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The signature algorithm that fits the CA key (RSA or EC P-256/P-384). */
  String signatureAlgorithm() {
    return signatureAlgorithm(key);
  }

  static String signatureAlgorithm(PrivateKey key) {
    if (key instanceof RSAKey) {
      return "SHA256withRSA";
    }
    if (key instanceof ECKey ec) {
      return ec.getParams().getOrder().bitLength() > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
    }
    throw new IllegalStateException("unsupported CA key algorithm " + key.getAlgorithm());
  }

  private static void checkKeyMatches(PrivateKey key, X509Certificate certificate) {
    try {
      byte[] probe = "device-ca key check".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      Signature signer = Signature.getInstance(signatureAlgorithm(key));
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(signatureAlgorithm(key));
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new IllegalStateException(
            PkiFiles.DEVICE_CA_KEY + " is not the key of " + PkiFiles.DEVICE_CA);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          PkiFiles.DEVICE_CA_KEY + " does not fit " + PkiFiles.DEVICE_CA, e);
    }
  }
}
