/* Enrollment: key and CSR made on the device, the request body, and every answer ca-service may give. */
#include <cjson/cJSON.h>
#include <stdint.h>

#include "asyncrpc/enroll.h"
#include "mbedtls/ctr_drbg.h"
#include "mbedtls/entropy.h"
#include "mbedtls/version.h"
#include "mbedtls/x509_crt.h"
#include "mbedtls/x509_csr.h"
#include "test.h"

static mbedtls_entropy_context entropy;
static mbedtls_ctr_drbg_context drbg;

static void rng_start(void) {
  mbedtls_entropy_init(&entropy);
  mbedtls_ctr_drbg_init(&drbg);
  CHECK(mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, (const unsigned char *)"test", 4) == 0);
}

/* Debian's mbedTLS 2.28 here, ESP-IDF's 3.6 on the device: the tests build against both. */
static int parse_key(mbedtls_pk_context *key, const char *pem) {
#if MBEDTLS_VERSION_MAJOR >= 3
  return mbedtls_pk_parse_key(key, (const unsigned char *)pem, strlen(pem) + 1, NULL, 0, mbedtls_ctr_drbg_random,
                              &drbg);
#else
  return mbedtls_pk_parse_key(key, (const unsigned char *)pem, strlen(pem) + 1, NULL, 0);
#endif
}

static mbedtls_ecp_group_id curve_of(mbedtls_pk_context *key) {
#if MBEDTLS_VERSION_NUMBER >= 0x03060000
  return mbedtls_ecp_keypair_get_group_id(mbedtls_pk_ec(*key));
#elif MBEDTLS_VERSION_MAJOR >= 3
  return mbedtls_pk_ec(*key)->MBEDTLS_PRIVATE(grp).id;
#else
  return mbedtls_pk_ec(*key)->grp.id;
#endif
}

static void new_key(char *pem, size_t capacity) {
  CHECK_INT(ASYNCRPC_ENROLL_OK, asyncrpc_enroll_make_key(pem, capacity, mbedtls_ctr_drbg_random, &drbg));
}

/* A self-signed certificate for key_pem naming common_name: stands in for ca-service's answer. */
static void certificate_for(const char *key_pem, const char *common_name, char *pem, size_t capacity) {
  mbedtls_pk_context key;
  mbedtls_x509write_cert certificate;
  mbedtls_mpi serial;
  char subject[96];
  snprintf(subject, sizeof subject, "CN=%s", common_name);
  mbedtls_pk_init(&key);
  mbedtls_x509write_crt_init(&certificate);
  mbedtls_mpi_init(&serial);
  CHECK(parse_key(&key, key_pem) == 0);
  CHECK(mbedtls_mpi_lset(&serial, 4711) == 0);
  mbedtls_x509write_crt_set_version(&certificate, MBEDTLS_X509_CRT_VERSION_3);
  CHECK(mbedtls_x509write_crt_set_serial(&certificate, &serial) == 0);
  CHECK(mbedtls_x509write_crt_set_validity(&certificate, "20250101000000", "20351231235959") == 0);
  CHECK(mbedtls_x509write_crt_set_subject_name(&certificate, subject) == 0);
  CHECK(mbedtls_x509write_crt_set_issuer_name(&certificate, subject) == 0);
  mbedtls_x509write_crt_set_subject_key(&certificate, &key);
  mbedtls_x509write_crt_set_issuer_key(&certificate, &key);
  mbedtls_x509write_crt_set_md_alg(&certificate, MBEDTLS_MD_SHA256);
  CHECK(mbedtls_x509write_crt_pem(&certificate, (unsigned char *)pem, capacity, mbedtls_ctr_drbg_random, &drbg) == 0);
  mbedtls_mpi_free(&serial);
  mbedtls_x509write_crt_free(&certificate);
  mbedtls_pk_free(&key);
}

/* {"certificate": certificate, "chain": chain, "serial": "1267", "not_after": "..."} */
static char *answer_json(const char *certificate, const char *chain) {
  cJSON *answer = cJSON_CreateObject();
  cJSON_AddStringToObject(answer, "certificate", certificate);
  cJSON_AddStringToObject(answer, "chain", chain);
  cJSON_AddStringToObject(answer, "serial", "1267");
  cJSON_AddStringToObject(answer, "not_after", "2027-11-25T00:00:00Z");
  char *text = cJSON_PrintUnformatted(answer);
  cJSON_Delete(answer);
  return text;
}

static char certificate[ASYNCRPC_ENROLL_CERT_PEM_MAX], chain[ASYNCRPC_ENROLL_CERT_PEM_MAX], reason[128];

static asyncrpc_enroll_status_t read_answer(int status, const char *body, const char *key_pem) {
  return asyncrpc_enroll_read_answer(status, body, body == NULL ? 0 : strlen(body), "dev-1", key_pem, certificate,
                                     sizeof certificate, chain, sizeof chain, reason, sizeof reason);
}

TEST(enroll_csr_names_the_device_and_carries_its_key) {
  rng_start();
  char key[ASYNCRPC_ENROLL_KEY_PEM_MAX], csr[ASYNCRPC_ENROLL_CSR_PEM_MAX];
  new_key(key, sizeof key);
  CHECK(strstr(key, "-----BEGIN EC PRIVATE KEY-----") == key);
  CHECK_INT(ASYNCRPC_ENROLL_OK,
            asyncrpc_enroll_make_csr("dev-1", key, csr, sizeof csr, mbedtls_ctr_drbg_random, &drbg));

  mbedtls_x509_csr request;
  mbedtls_pk_context pk;
  mbedtls_x509_csr_init(&request);
  mbedtls_pk_init(&pk);
  CHECK(mbedtls_x509_csr_parse(&request, (const unsigned char *)csr, strlen(csr) + 1) == 0); /* also checks its signature */
  char subject[128];
  CHECK(mbedtls_x509_dn_gets(subject, sizeof subject, &request.subject) > 0);
  CHECK_STR("CN=dev-1", subject);
  CHECK(parse_key(&pk, key) == 0);
  unsigned char ours[160], theirs[160];
  int length = mbedtls_pk_write_pubkey_der(&pk, ours, sizeof ours);
  CHECK(length > 0);
  CHECK_INT(length, mbedtls_pk_write_pubkey_der(&request.pk, theirs, sizeof theirs));
  CHECK(memcmp(ours + sizeof ours - length, theirs + sizeof theirs - length, (size_t)length) == 0);
  CHECK_INT(MBEDTLS_ECP_DP_SECP256R1, curve_of(&pk));
  mbedtls_pk_free(&pk);
  mbedtls_x509_csr_free(&request);
}

TEST(enroll_two_keys_differ) {
  rng_start();
  char first[ASYNCRPC_ENROLL_KEY_PEM_MAX], second[ASYNCRPC_ENROLL_KEY_PEM_MAX];
  new_key(first, sizeof first);
  new_key(second, sizeof second);
  CHECK(strcmp(first, second) != 0);
}

TEST(enroll_csr_refuses_invalid_device_ids_and_keys) {
  rng_start();
  char key[ASYNCRPC_ENROLL_KEY_PEM_MAX], csr[ASYNCRPC_ENROLL_CSR_PEM_MAX];
  new_key(key, sizeof key);
  const char *invalid[] = {"", "dev/1", "dev+1", "CN=x,O=y",
                           "a1234567890123456789012345678901234567890123456789012345678901234"};
  for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
    CHECK_INT(ASYNCRPC_ENROLL_BAD_ARGUMENT,
              asyncrpc_enroll_make_csr(invalid[i], key, csr, sizeof csr, mbedtls_ctr_drbg_random, &drbg));
  }
  CHECK_INT(ASYNCRPC_ENROLL_BAD_ARGUMENT,
            asyncrpc_enroll_make_csr(NULL, key, csr, sizeof csr, mbedtls_ctr_drbg_random, &drbg));
  CHECK_INT(ASYNCRPC_ENROLL_CRYPTO, asyncrpc_enroll_make_csr("dev-1", "-----BEGIN EC PRIVATE KEY-----\nAAAA\n", csr,
                                                             sizeof csr, mbedtls_ctr_drbg_random, &drbg));
}

TEST(enroll_small_buffers_report_no_room_and_keep_no_key) {
  rng_start();
  char key[64];
  memset(key, 'x', sizeof key);
  CHECK_INT(ASYNCRPC_ENROLL_NO_ROOM, asyncrpc_enroll_make_key(key, sizeof key, mbedtls_ctr_drbg_random, &drbg));
  for (size_t i = 0; i < sizeof key; i++) {
    CHECK(key[i] == 0);
  }
  char whole[ASYNCRPC_ENROLL_KEY_PEM_MAX], csr[100];
  new_key(whole, sizeof whole);
  CHECK_INT(ASYNCRPC_ENROLL_NO_ROOM,
            asyncrpc_enroll_make_csr("dev-1", whole, csr, sizeof csr, mbedtls_ctr_drbg_random, &drbg));
}

TEST(enroll_request_body_carries_token_and_csr) {
  char body[512];
  const char *csr = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";
  CHECK_INT(ASYNCRPC_ENROLL_OK, asyncrpc_enroll_request_body("tok\"en", csr, body, sizeof body));
  cJSON *parsed = cJSON_Parse(body);
  CHECK(parsed != NULL);
  CHECK_STR("tok\"en", cJSON_GetObjectItemCaseSensitive(parsed, "token")->valuestring);
  CHECK_STR(csr, cJSON_GetObjectItemCaseSensitive(parsed, "csr")->valuestring);
  cJSON_Delete(parsed);
  CHECK_INT(ASYNCRPC_ENROLL_NO_ROOM, asyncrpc_enroll_request_body("token", csr, body, 20));
  CHECK_INT(ASYNCRPC_ENROLL_BAD_ARGUMENT, asyncrpc_enroll_request_body("", csr, body, sizeof body));
  CHECK_INT(ASYNCRPC_ENROLL_BAD_ARGUMENT, asyncrpc_enroll_request_body("token", NULL, body, sizeof body));
}

TEST(enroll_answer_for_this_key_and_device_is_taken) {
  rng_start();
  char key[ASYNCRPC_ENROLL_KEY_PEM_MAX], issued[ASYNCRPC_ENROLL_CERT_PEM_MAX];
  new_key(key, sizeof key);
  certificate_for(key, "dev-1", issued, sizeof issued);
  char *body = answer_json(issued, "CHAIN-PEM");
  CHECK_INT(ASYNCRPC_ENROLL_OK, read_answer(200, body, key));
  CHECK_STR(issued, certificate);
  CHECK_STR("CHAIN-PEM", chain);
  CHECK_STR("", reason);
  cJSON_free(body);
}

TEST(enroll_answer_for_another_key_or_device_is_refused) {
  rng_start();
  char key[ASYNCRPC_ENROLL_KEY_PEM_MAX], other[ASYNCRPC_ENROLL_KEY_PEM_MAX], issued[ASYNCRPC_ENROLL_CERT_PEM_MAX];
  new_key(key, sizeof key);
  new_key(other, sizeof other);

  certificate_for(other, "dev-1", issued, sizeof issued);
  char *body = answer_json(issued, "CHAIN");
  CHECK_INT(ASYNCRPC_ENROLL_WRONG_IDENTITY, read_answer(200, body, key));
  CHECK_STR("the certificate is for another key", reason);
  CHECK_STR("", certificate);
  cJSON_free(body);

  certificate_for(key, "dev-10", issued, sizeof issued); /* a prefix is not the device */
  body = answer_json(issued, "CHAIN");
  CHECK_INT(ASYNCRPC_ENROLL_WRONG_IDENTITY, read_answer(200, body, key));
  CHECK_STR("the certificate names another device", reason);
  CHECK_STR("", chain);
  cJSON_free(body);
}

TEST(enroll_refusal_carries_the_problem_detail) {
  CHECK_INT(ASYNCRPC_ENROLL_REFUSED,
            read_answer(400,
                        "{\"type\":\"urn:iot-async-rpc:problem:invalid-enrollment-token\",\"title\":\"Bad Request\","
                        "\"status\":400,\"detail\":\"the enrollment token was already used\"}",
                        "unused"));
  CHECK_STR("the enrollment token was already used", reason);
  CHECK_INT(ASYNCRPC_ENROLL_REFUSED, read_answer(403, "{\"title\":\"Forbidden\"}", "unused"));
  CHECK_STR("Forbidden", reason);
  CHECK_INT(ASYNCRPC_ENROLL_REFUSED, read_answer(503, "<html>busy</html>", "unused"));
  CHECK_STR("HTTP 503", reason);
  CHECK_INT(ASYNCRPC_ENROLL_REFUSED, read_answer(502, NULL, "unused"));
  CHECK_STR("HTTP 502", reason);
}

TEST(enroll_malformed_answers_are_bad_answers) {
  rng_start();
  char key[ASYNCRPC_ENROLL_KEY_PEM_MAX];
  new_key(key, sizeof key);
  const char *answers[] = {"", "not json", "[]", "{}", "{\"certificate\":5,\"chain\":\"x\"}",
                           "{\"certificate\":\"\",\"chain\":\"x\"}", "{\"certificate\":\"x\"}",
                           "{\"certificate\":\"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\\n\","
                           "\"chain\":\"x\"}",
                           "{\"certificate\":\"x\",\"chain\":\"x\""};
  for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
    CHECK_INT(ASYNCRPC_ENROLL_BAD_ANSWER, read_answer(200, answers[i], key));
    CHECK(reason[0] != '\0');
  }
}

TEST(enroll_answer_too_large_for_its_buffers_is_no_room) {
  rng_start();
  char key[ASYNCRPC_ENROLL_KEY_PEM_MAX], issued[ASYNCRPC_ENROLL_CERT_PEM_MAX], small[64];
  new_key(key, sizeof key);
  certificate_for(key, "dev-1", issued, sizeof issued);
  char *body = answer_json(issued, "CHAIN");
  CHECK_INT(ASYNCRPC_ENROLL_NO_ROOM, asyncrpc_enroll_read_answer(200, body, strlen(body), "dev-1", key, small,
                                                                 sizeof small, chain, sizeof chain, reason,
                                                                 sizeof reason));
  CHECK_STR("", small);
  cJSON_free(body);
}

TEST(enroll_random_and_truncated_answers_never_pass) {
  rng_start();
  char key[ASYNCRPC_ENROLL_KEY_PEM_MAX], issued[ASYNCRPC_ENROLL_CERT_PEM_MAX];
  new_key(key, sizeof key);
  certificate_for(key, "dev-1", issued, sizeof issued);
  char *body = answer_json(issued, "CHAIN");
  size_t length = strlen(body);
  uint32_t seed = 12345u;
  char mutated[ASYNCRPC_ENROLL_CERT_PEM_MAX + 256];
  for (int round = 0; round < 600; round++) {
    size_t cut = (size_t)round * length / 600u; /* every truncation point, then mutations */
    CHECK(asyncrpc_enroll_read_answer(200, body, cut, "dev-1", key, certificate, sizeof certificate, chain,
                                      sizeof chain, reason, sizeof reason) != ASYNCRPC_ENROLL_OK);
    memcpy(mutated, body, length + 1);
    seed = seed * 1103515245u + 12345u;
    size_t at = seed % length;
    seed = seed * 1103515245u + 12345u;
    mutated[at] = (char)(seed >> 16);
    /* A flipped byte may land where nothing checks it (another JSON field, the signature bits,
       which only the broker verifies against the CA): then OK is right, with this key and device. */
    asyncrpc_enroll_status_t status = asyncrpc_enroll_read_answer(
        200, mutated, length, "dev-1", key, certificate, sizeof certificate, chain, sizeof chain, reason, sizeof reason);
    CHECK(status == ASYNCRPC_ENROLL_OK || status == ASYNCRPC_ENROLL_BAD_ANSWER ||
          status == ASYNCRPC_ENROLL_WRONG_IDENTITY || status == ASYNCRPC_ENROLL_NO_ROOM);
    CHECK((status == ASYNCRPC_ENROLL_OK) == (certificate[0] != '\0'));
  }
  cJSON_free(body);
}
