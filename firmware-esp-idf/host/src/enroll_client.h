/* The host's enrollment: the portable enrollment steps, with libcurl for the one HTTP call. */
#ifndef ASYNCRPC_HOST_ENROLL_CLIENT_H
#define ASYNCRPC_HOST_ENROLL_CLIENT_H

/*
 * Enrolls device_id at ca_url (POST <ca_url>/enroll) with a one-time token and writes
 * <dir>/device.key (owner-only) and <dir>/device.pem (certificate, then the device CA chain: what
 * the device presents). Returns 0, or -1 after printing why to stderr; writes nothing then.
 */
int host_enroll(const char *ca_url, const char *device_id, const char *token, const char *dir);

#endif
