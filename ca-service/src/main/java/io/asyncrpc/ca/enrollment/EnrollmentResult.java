package io.asyncrpc.ca.enrollment;

import java.time.Instant;

/**
 * The certificate a device enrolled for.
 *
 * @param certificate the device certificate, PEM
 * @param chain device CA then root, PEM: the device presents certificate + device CA, and trusts
 *     the root
 * @param serial lower-case hex serial
 * @param notAfter end of validity: enroll again (with a new token) before it
 */
record EnrollmentResult(String certificate, String chain, String serial, Instant notAfter) {}
