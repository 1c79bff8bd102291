/*
 * Enrollment: how a device gets its X.509 identity from ca-service without its key ever leaving it.
 *
 *   1. asyncrpc_enroll_make_key   EC P-256 key pair, PEM (keep it in the device's secure storage)
 *   2. asyncrpc_enroll_make_csr   PKCS#10 request, subject CN=<device id>, signed with that key
 *   3. asyncrpc_enroll_request_body   {"token": ..., "csr": ...} for POST <ca-url>/enroll
 *   4. asyncrpc_enroll_read_answer    checks ca-service's answer: a certificate for this key and
 *                                     this device id, plus the device CA chain to present with it
 *
 * The HTTP call itself belongs to the port (esp_http_client on the device, libcurl on the host).
 * mbedTLS does the cryptography on both (ESP-IDF bundles it; the host links Debian's). Runs once
 * per device, never in the task path, so the request body and JSON parsing may allocate.
 */
#ifndef ASYNCRPC_ENROLL_H
#define ASYNCRPC_ENROLL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Random bytes for key generation and ECDSA: mbedtls_ctr_drbg_random has this signature. */
typedef int (*asyncrpc_rng_fn)(void *context, unsigned char *out, size_t length);

typedef enum {
  ASYNCRPC_ENROLL_OK = 0,
  ASYNCRPC_ENROLL_BAD_ARGUMENT,   /* missing input or an invalid device id */
  ASYNCRPC_ENROLL_NO_ROOM,        /* an output buffer is too small */
  ASYNCRPC_ENROLL_CRYPTO,         /* mbedTLS failed (key generation, signing, parsing the key) */
  ASYNCRPC_ENROLL_REFUSED,        /* ca-service answered an error: the reason says why */
  ASYNCRPC_ENROLL_BAD_ANSWER,     /* the answer is not JSON, lacks a field, or holds no certificate */
  ASYNCRPC_ENROLL_WRONG_IDENTITY  /* the certificate is for another key or another device id */
} asyncrpc_enroll_status_t;

/* Room that is always enough for the PEM outputs below. */
#define ASYNCRPC_ENROLL_KEY_PEM_MAX 512u
#define ASYNCRPC_ENROLL_CSR_PEM_MAX 1024u
#define ASYNCRPC_ENROLL_CERT_PEM_MAX 4096u

const char *asyncrpc_enroll_status_name(asyncrpc_enroll_status_t status);

/* A new EC P-256 private key as PEM ("EC PRIVATE KEY"), NUL-terminated. */
asyncrpc_enroll_status_t asyncrpc_enroll_make_key(char *key_pem, size_t capacity, asyncrpc_rng_fn rng,
                                                  void *rng_context);

/* A CSR (PEM, NUL-terminated) for device_id ([A-Za-z0-9_-]{1,64}), SHA-256 with the key's ECDSA. */
asyncrpc_enroll_status_t asyncrpc_enroll_make_csr(const char *device_id, const char *key_pem, char *csr_pem,
                                                  size_t capacity, asyncrpc_rng_fn rng, void *rng_context);

/* The JSON body of POST /enroll, NUL-terminated. */
asyncrpc_enroll_status_t asyncrpc_enroll_request_body(const char *token, const char *csr_pem, char *body,
                                                      size_t capacity);

/*
 * Reads ca-service's answer to POST /enroll (HTTP status and body). On 200 it copies the
 * certificate and the chain (device CA, then root) after checking that the certificate carries the
 * public key of key_pem and CN=device_id. On an error status it copies problem+json's detail (else
 * its title, else the status) into reason. reason may be NULL.
 */
asyncrpc_enroll_status_t asyncrpc_enroll_read_answer(int http_status, const char *body, size_t body_length,
                                                     const char *device_id, const char *key_pem,
                                                     char *certificate_pem, size_t certificate_capacity,
                                                     char *chain_pem, size_t chain_capacity, char *reason,
                                                     size_t reason_capacity);

#ifdef __cplusplus
}
#endif

#endif
