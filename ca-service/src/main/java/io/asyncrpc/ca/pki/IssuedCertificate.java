package io.asyncrpc.ca.pki;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A certificate just signed by the device CA.
 *
 * @param certificate the certificate
 * @param pem its PEM text
 */
public record IssuedCertificate(X509Certificate certificate, String pem) {

  /** The serial as the database and the API spell it: lower-case hex without leading zeros. */
  public String serial() {
    return serialHex(certificate.getSerialNumber());
  }

  /** Its subject, e.g. {@code CN=SN-0001}. */
  public String subject() {
    return certificate.getSubjectX500Principal().getName();
  }

  public Instant notBefore() {
    return certificate.getNotBefore().toInstant();
  }

  public Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }

  /** Lower-case hex of a serial number. */
  public static String serialHex(BigInteger serial) {
    return serial.toString(16);
  }

  /** Whether {@code text} is a serial as produced by {@link #serialHex} (at most 20 octets). */
  public static boolean isSerialHex(String text) {
    return text != null && SERIAL_HEX.matcher(text).matches();
  }

  private static final Pattern SERIAL_HEX = Pattern.compile("[0-9a-f]{1,40}");
}
