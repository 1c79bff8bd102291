/**
 * Enrollment: one-time tokens that an admin hands to a device, and the public endpoint where the
 * device trades a token and its CSR for a certificate.
 */
@NullMarked
package io.asyncrpc.ca.enrollment;

import org.jspecify.annotations.NullMarked;
