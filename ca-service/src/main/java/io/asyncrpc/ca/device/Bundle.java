package io.asyncrpc.ca.device;

import io.asyncrpc.ca.pki.IssuedCertificate;
import java.security.PrivateKey;

/**
 * A key made by ca-service and its certificate, for a device that cannot make its own key.
 *
 * @param key the private key
 * @param certificate its certificate
 */
record Bundle(PrivateKey key, IssuedCertificate certificate) {}
