/**
 * The device certificate authority: loads the device intermediate CA from the PKI directory, checks
 * CSRs, signs device certificates, makes server-generated key pairs and publishes the CRL.
 */
@NullMarked
package io.asyncrpc.ca.pki;

import org.jspecify.annotations.NullMarked;
