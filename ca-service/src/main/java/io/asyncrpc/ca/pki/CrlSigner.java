package io.asyncrpc.ca.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Signs the device CA's CRL and writes it to {@code crl/device-ca.crl.pem} in the PKI directory,
 * atomically (a temporary file renamed over the old one), so the broker never reads half a file.
 */
@Component
public class CrlSigner {

  private final DeviceCa ca;
  private final PkiProperties properties;
  private final Clock clock;

  @Autowired
  public CrlSigner(DeviceCa ca, PkiProperties properties) {
    this(ca, properties, Clock.systemUTC());
  }

  CrlSigner(DeviceCa ca, PkiProperties properties, Clock clock) {
    this.ca = ca;
    this.properties = properties;
    this.clock = clock;
  }

  /** A CRL listing {@code revoked}, signed now, written to the PKI directory. */
  public synchronized Crl publish(Collection<RevokedCertificate> revoked) {
    Crl crl = sign(revoked);
    write(crl);
    return crl;
  }

  Crl sign(Collection<RevokedCertificate> revoked) {
    Instant now = clock.instant();
    Instant next = now.plus(properties.crlValidity());
    try {
      X509v2CRLBuilder builder =
          new JcaX509v2CRLBuilder(ca.certificate().getSubjectX500Principal(), Date.from(now));
      builder.setNextUpdate(Date.from(next));
      for (RevokedCertificate r : revoked) {
        builder.addCRLEntry(r.serial(), Date.from(r.revokedAt()), r.reason().code());
      }
      builder.addExtension(Extension.authorityKeyIdentifier, false, ca.authorityKeyIdentifier());
      // Milliseconds since the epoch: increasing across restarts and across instances.
      builder.addExtension(
          Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.toEpochMilli())));
      X509CRLHolder holder =
          builder.build(new JcaContentSignerBuilder(ca.signatureAlgorithm()).build(ca.key()));
      byte[] der = holder.getEncoded();
      return new Crl(der, Pem.encode(holder), now, next);
    } catch (OperatorCreationException | IOException e) {
      throw new IllegalStateException("signing the CRL failed", e);
    }
  }

  private void write(Crl crl) {
    Path target = properties.pkiDir().resolve(PkiFiles.DEVICE_CA_CRL);
    try {
      Files.createDirectories(target.getParent());
      Path temp = Files.createTempFile(target.getParent(), ".device-ca.crl.", ".tmp");
      try {
        Files.writeString(temp, crl.pem(), StandardCharsets.US_ASCII);
        // A CRL is public, and the broker reads it as its own user.
        if (Files.getFileStore(temp).supportsFileAttributeView("posix")) {
          Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }
}
