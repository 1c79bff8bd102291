/**
 * Device identities: the certificates issued to each device, their revocation, the CRL built from
 * them, and the broker access that follows a device's certificates.
 */
@NullMarked
package io.asyncrpc.ca.device;

import org.jspecify.annotations.NullMarked;
