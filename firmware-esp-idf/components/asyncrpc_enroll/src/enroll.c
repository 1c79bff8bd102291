#include "asyncrpc/enroll.h"

#include <stdio.h>
#include <string.h>

#include "asyncrpc/core.h"
#include "cJSON.h"
#include "mbedtls/asn1.h"
#include "mbedtls/base64.h"
#include "mbedtls/ecp.h"
#include "mbedtls/oid.h"
#include "mbedtls/pk.h"
#include "mbedtls/version.h"
#include "mbedtls/x509_crt.h"
#include "mbedtls/x509_csr.h"

#define PUBKEY_DER_MAX 160u /* an EC P-256 SubjectPublicKeyInfo is 91 bytes */

const char *asyncrpc_enroll_status_name(asyncrpc_enroll_status_t status) {
  switch (status) {
    case ASYNCRPC_ENROLL_OK: return "ok";
    case ASYNCRPC_ENROLL_BAD_ARGUMENT: return "bad-argument";
    case ASYNCRPC_ENROLL_NO_ROOM: return "no-room";
    case ASYNCRPC_ENROLL_CRYPTO: return "crypto";
    case ASYNCRPC_ENROLL_REFUSED: return "refused";
    case ASYNCRPC_ENROLL_BAD_ANSWER: return "bad-answer";
    case ASYNCRPC_ENROLL_WRONG_IDENTITY: return "wrong-identity";
  }
  return "unknown";
}

/* mbedTLS 3 (ESP-IDF 5) wants an RNG for key parsing (blinding); mbedTLS 2 does not take one. */
static int parse_key(mbedtls_pk_context *key, const char *key_pem, asyncrpc_rng_fn rng, void *rng_context) {
#if MBEDTLS_VERSION_MAJOR >= 3
  return mbedtls_pk_parse_key(key, (const unsigned char *)key_pem, strlen(key_pem) + 1, NULL, 0, rng, rng_context);
#else
  (void)rng;
  (void)rng_context;
  return mbedtls_pk_parse_key(key, (const unsigned char *)key_pem, strlen(key_pem) + 1, NULL, 0);
#endif
}

static int dummy_rng(void *context, unsigned char *out, size_t length) {
  (void)context;
  memset(out, 0, length);
  return 0;
}

asyncrpc_enroll_status_t asyncrpc_enroll_make_key(char *key_pem, size_t capacity, asyncrpc_rng_fn rng,
                                                  void *rng_context) {
  if (key_pem == NULL || rng == NULL || capacity == 0) {
    return ASYNCRPC_ENROLL_BAD_ARGUMENT;
  }
  mbedtls_pk_context key;
  mbedtls_pk_init(&key);
  asyncrpc_enroll_status_t status = ASYNCRPC_ENROLL_CRYPTO;
  if (mbedtls_pk_setup(&key, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) == 0 &&
      mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(key), rng, rng_context) == 0) {
    status = mbedtls_pk_write_key_pem(&key, (unsigned char *)key_pem, capacity) == 0 ? ASYNCRPC_ENROLL_OK
                                                                                    : ASYNCRPC_ENROLL_NO_ROOM;
  }
  mbedtls_pk_free(&key);
  if (status != ASYNCRPC_ENROLL_OK) {
    memset(key_pem, 0, capacity); /* never leave part of a key behind */
  }
  return status;
}

asyncrpc_enroll_status_t asyncrpc_enroll_make_csr(const char *device_id, const char *key_pem, char *csr_pem,
                                                  size_t capacity, asyncrpc_rng_fn rng, void *rng_context) {
  if (!asyncrpc_device_id_valid(device_id) || key_pem == NULL || csr_pem == NULL || capacity == 0 ||
      rng == NULL) {
    return ASYNCRPC_ENROLL_BAD_ARGUMENT;
  }
  char subject[ASYNCRPC_MAX_DEVICE_ID + 4];
  snprintf(subject, sizeof subject, "CN=%s", device_id);
  mbedtls_pk_context key;
  mbedtls_x509write_csr csr;
  mbedtls_pk_init(&key);
  mbedtls_x509write_csr_init(&csr);
  asyncrpc_enroll_status_t status = ASYNCRPC_ENROLL_CRYPTO;
  if (parse_key(&key, key_pem, rng, rng_context) == 0 && mbedtls_x509write_csr_set_subject_name(&csr, subject) == 0) {
    mbedtls_x509write_csr_set_key(&csr, &key);
    mbedtls_x509write_csr_set_md_alg(&csr, MBEDTLS_MD_SHA256);
    int rc = mbedtls_x509write_csr_pem(&csr, (unsigned char *)csr_pem, capacity, rng, rng_context);
    status = rc == 0 ? ASYNCRPC_ENROLL_OK
                     : (rc == MBEDTLS_ERR_BASE64_BUFFER_TOO_SMALL || rc == MBEDTLS_ERR_ASN1_BUF_TOO_SMALL
                            ? ASYNCRPC_ENROLL_NO_ROOM
                            : ASYNCRPC_ENROLL_CRYPTO);
  }
  mbedtls_x509write_csr_free(&csr);
  mbedtls_pk_free(&key);
  return status;
}

static asyncrpc_enroll_status_t copy_text(const char *text, char *out, size_t capacity) {
  size_t length = strlen(text);
  if (length >= capacity) {
    return ASYNCRPC_ENROLL_NO_ROOM;
  }
  memcpy(out, text, length + 1);
  return ASYNCRPC_ENROLL_OK;
}

asyncrpc_enroll_status_t asyncrpc_enroll_request_body(const char *token, const char *csr_pem, char *body,
                                                      size_t capacity) {
  if (token == NULL || *token == '\0' || csr_pem == NULL || *csr_pem == '\0' || body == NULL || capacity == 0) {
    return ASYNCRPC_ENROLL_BAD_ARGUMENT;
  }
  cJSON *request = cJSON_CreateObject();
  if (request == NULL || cJSON_AddStringToObject(request, "token", token) == NULL ||
      cJSON_AddStringToObject(request, "csr", csr_pem) == NULL) {
    cJSON_Delete(request);
    return ASYNCRPC_ENROLL_NO_ROOM;
  }
  asyncrpc_enroll_status_t status =
      cJSON_PrintPreallocated(request, body, (int)(capacity > 0x7fffffff ? 0x7fffffff : capacity), false)
          ? ASYNCRPC_ENROLL_OK
          : ASYNCRPC_ENROLL_NO_ROOM;
  cJSON_Delete(request);
  return status;
}

static void set_reason(char *reason, size_t capacity, const char *text) {
  if (reason != NULL && capacity > 0) {
    snprintf(reason, capacity, "%s", text);
  }
}

static const char *string_field(const cJSON *object, const char *name) {
  const cJSON *field = cJSON_GetObjectItemCaseSensitive(object, name);
  return cJSON_IsString(field) && field->valuestring[0] != '\0' ? field->valuestring : NULL;
}

static bool common_name_is(const mbedtls_x509_name *name, const char *device_id) {
  size_t length = strlen(device_id);
  for (; name != NULL; name = name->next) {
    if (MBEDTLS_OID_CMP(MBEDTLS_OID_AT_CN, &name->oid) == 0) {
      return name->val.len == length && memcmp(name->val.p, device_id, length) == 0;
    }
  }
  return false;
}

static asyncrpc_enroll_status_t check_identity(const char *certificate_pem, const char *device_id,
                                               const char *key_pem, char *reason, size_t reason_capacity) {
  mbedtls_x509_crt certificate;
  mbedtls_pk_context key;
  mbedtls_x509_crt_init(&certificate);
  mbedtls_pk_init(&key);
  asyncrpc_enroll_status_t status = ASYNCRPC_ENROLL_OK;
  unsigned char ours[PUBKEY_DER_MAX];
  unsigned char theirs[PUBKEY_DER_MAX];
  if (mbedtls_x509_crt_parse(&certificate, (const unsigned char *)certificate_pem, strlen(certificate_pem) + 1) != 0) {
    set_reason(reason, reason_capacity, "the certificate is not a PEM X.509 certificate");
    status = ASYNCRPC_ENROLL_BAD_ANSWER;
  } else if (parse_key(&key, key_pem, dummy_rng, NULL) != 0) {
    set_reason(reason, reason_capacity, "the device key cannot be read");
    status = ASYNCRPC_ENROLL_CRYPTO;
  } else {
    /* DER SubjectPublicKeyInfo of both, written at the end of each buffer. */
    int our_length = mbedtls_pk_write_pubkey_der(&key, ours, sizeof ours);
    int their_length = mbedtls_pk_write_pubkey_der(&certificate.pk, theirs, sizeof theirs);
    if (our_length <= 0 || their_length != our_length ||
        memcmp(ours + sizeof ours - (size_t)our_length, theirs + sizeof theirs - (size_t)their_length,
               (size_t)our_length) != 0) {
      set_reason(reason, reason_capacity, "the certificate is for another key");
      status = ASYNCRPC_ENROLL_WRONG_IDENTITY;
    } else if (!common_name_is(&certificate.subject, device_id)) {
      set_reason(reason, reason_capacity, "the certificate names another device");
      status = ASYNCRPC_ENROLL_WRONG_IDENTITY;
    }
  }
  mbedtls_pk_free(&key);
  mbedtls_x509_crt_free(&certificate);
  return status;
}

asyncrpc_enroll_status_t asyncrpc_enroll_read_answer(int http_status, const char *body, size_t body_length,
                                                     const char *device_id, const char *key_pem,
                                                     char *certificate_pem, size_t certificate_capacity,
                                                     char *chain_pem, size_t chain_capacity, char *reason,
                                                     size_t reason_capacity) {
  set_reason(reason, reason_capacity, "");
  if (!asyncrpc_device_id_valid(device_id) || key_pem == NULL || certificate_pem == NULL ||
      certificate_capacity == 0 || chain_pem == NULL || chain_capacity == 0 || (body == NULL && body_length > 0)) {
    return ASYNCRPC_ENROLL_BAD_ARGUMENT;
  }
  cJSON *answer = body == NULL ? NULL : cJSON_ParseWithLength(body, body_length);
  asyncrpc_enroll_status_t status;
  if (http_status != 200) {
    const char *why = cJSON_IsObject(answer) ? string_field(answer, "detail") : NULL;
    why = why != NULL ? why : (cJSON_IsObject(answer) ? string_field(answer, "title") : NULL);
    if (why != NULL) {
      set_reason(reason, reason_capacity, why);
    } else if (reason != NULL && reason_capacity > 0) {
      snprintf(reason, reason_capacity, "HTTP %d", http_status);
    }
    status = ASYNCRPC_ENROLL_REFUSED;
  } else if (!cJSON_IsObject(answer)) {
    set_reason(reason, reason_capacity, "the answer is not a JSON object");
    status = ASYNCRPC_ENROLL_BAD_ANSWER;
  } else {
    const char *certificate = string_field(answer, "certificate");
    const char *chain = string_field(answer, "chain");
    if (certificate == NULL || chain == NULL) {
      set_reason(reason, reason_capacity, "the answer lacks certificate or chain");
      status = ASYNCRPC_ENROLL_BAD_ANSWER;
    } else {
      status = check_identity(certificate, device_id, key_pem, reason, reason_capacity);
      if (status == ASYNCRPC_ENROLL_OK) {
        status = copy_text(certificate, certificate_pem, certificate_capacity);
      }
      if (status == ASYNCRPC_ENROLL_OK) {
        status = copy_text(chain, chain_pem, chain_capacity);
      }
      if (status == ASYNCRPC_ENROLL_NO_ROOM) {
        set_reason(reason, reason_capacity, "no room for the certificate or chain");
      }
    }
  }
  if (status != ASYNCRPC_ENROLL_OK) {
    certificate_pem[0] = '\0';
    chain_pem[0] = '\0';
  }
  cJSON_Delete(answer);
  return status;
}
