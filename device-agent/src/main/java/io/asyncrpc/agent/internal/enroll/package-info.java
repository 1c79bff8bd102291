/** Enrollment: a key pair made on the device, its CSR traded at ca-service for a certificate. */
package io.asyncrpc.agent.internal.enroll;
