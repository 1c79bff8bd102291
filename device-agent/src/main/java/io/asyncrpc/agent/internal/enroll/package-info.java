/** Enrollment: a key pair made on the device, its CSR traded at ca-service for a certificate. */
@NullMarked
package io.asyncrpc.agent.internal.enroll;

import org.jspecify.annotations.NullMarked;
