/**
 * Device identities: the certificates issued to each device, their revocation, the CRL built from
 * them, and the broker access that follows a device's certificates.
 */
package io.asyncrpc.ca.device;
