package io.asyncrpc.ca.device;

import java.time.Instant;

/**
 * A server-generated identity as PEM text.
 *
 * @param privateKey the private key, PKCS#8 PEM; shown only in this answer, never stored
 * @param certificate the device certificate, PEM
 * @param chain device CA then root, PEM
 * @param serial the certificate's serial (lower-case hex)
 * @param notAfter end of its validity
 */
record PemBundleView(
    String privateKey, String certificate, String chain, String serial, Instant notAfter) {}
