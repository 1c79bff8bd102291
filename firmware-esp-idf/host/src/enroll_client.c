#include "enroll_client.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "asyncrpc/enroll.h"
#include "mbedtls/ctr_drbg.h"
#include "mbedtls/entropy.h"

#define ANSWER_MAX 16384u
#define BODY_MAX 4096u
#define PATH_MAX_LENGTH 4096u

typedef struct {
  char data[ANSWER_MAX];
  size_t length;
  int overflow;
} answer_t;

static size_t collect(char *chunk, size_t size, size_t count, void *context) {
  answer_t *answer = context;
  size_t length = size * count;
  if (answer->length + length >= sizeof answer->data) {
    answer->overflow = 1;
    return 0; /* aborts the transfer: ca-service never answers this much */
  }
  memcpy(answer->data + answer->length, chunk, length);
  answer->length += length;
  answer->data[answer->length] = '\0';
  return length;
}

static int post_json(const char *url, const char *body, answer_t *answer, long *status) {
  CURL *curl = curl_easy_init();
  if (curl == NULL) {
    return -1;
  }
  struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Accept: application/json, application/problem+json");
  curl_easy_setopt(curl, CURLOPT_URL, url);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, answer);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
  } else {
    fprintf(stderr, "ERROR asyncrpc: enrollment at %s failed: %s\n", url,
            answer->overflow ? "answer too large" : curl_easy_strerror(rc));
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return rc == CURLE_OK ? 0 : -1;
}

/* Writes text to path through a temporary file and a rename, so a crash leaves no half file. */
static int write_file(const char *path, const char *first, const char *second, mode_t mode) {
  char temporary[PATH_MAX_LENGTH];
  if ((size_t)snprintf(temporary, sizeof temporary, "%s.tmp", path) >= sizeof temporary) {
    return -1;
  }
  int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, mode);
  if (fd < 0) {
    return -1;
  }
  size_t first_length = strlen(first), second_length = second == NULL ? 0 : strlen(second);
  int ok = write(fd, first, first_length) == (ssize_t)first_length &&
           (second_length == 0 || write(fd, second, second_length) == (ssize_t)second_length) && fsync(fd) == 0;
  ok = close(fd) == 0 && ok;
  if (!ok || rename(temporary, path) != 0) {
    unlink(temporary);
    return -1;
  }
  return 0;
}

int host_enroll(const char *ca_url, const char *device_id, const char *token, const char *dir) {
  static char key[ASYNCRPC_ENROLL_KEY_PEM_MAX], csr[ASYNCRPC_ENROLL_CSR_PEM_MAX], body[BODY_MAX];
  static char certificate[ASYNCRPC_ENROLL_CERT_PEM_MAX], chain[2 * ASYNCRPC_ENROLL_CERT_PEM_MAX];
  static answer_t answer;
  char url[PATH_MAX_LENGTH], key_path[PATH_MAX_LENGTH], certificate_path[PATH_MAX_LENGTH], reason[256];
  if ((size_t)snprintf(url, sizeof url, "%s/enroll", ca_url) >= sizeof url ||
      (size_t)snprintf(key_path, sizeof key_path, "%s/device.key", dir) >= sizeof key_path ||
      (size_t)snprintf(certificate_path, sizeof certificate_path, "%s/device.pem", dir) >= sizeof certificate_path) {
    fprintf(stderr, "ERROR asyncrpc: enrollment: URL or directory too long\n");
    return -1;
  }

  mbedtls_entropy_context entropy;
  mbedtls_ctr_drbg_context drbg;
  mbedtls_entropy_init(&entropy);
  mbedtls_ctr_drbg_init(&drbg);
  asyncrpc_enroll_status_t status = ASYNCRPC_ENROLL_CRYPTO;
  if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, (const unsigned char *)device_id,
                            strlen(device_id)) == 0) {
    status = asyncrpc_enroll_make_key(key, sizeof key, mbedtls_ctr_drbg_random, &drbg);
    if (status == ASYNCRPC_ENROLL_OK) {
      status = asyncrpc_enroll_make_csr(device_id, key, csr, sizeof csr, mbedtls_ctr_drbg_random, &drbg);
    }
  }
  mbedtls_ctr_drbg_free(&drbg);
  mbedtls_entropy_free(&entropy);
  if (status == ASYNCRPC_ENROLL_OK) {
    status = asyncrpc_enroll_request_body(token, csr, body, sizeof body);
  }
  if (status != ASYNCRPC_ENROLL_OK) {
    fprintf(stderr, "ERROR asyncrpc: enrollment: cannot make key and CSR (%s)\n", asyncrpc_enroll_status_name(status));
    return -1;
  }

  long http_status = 0;
  answer.length = 0;
  answer.overflow = 0;
  answer.data[0] = '\0';
  if (post_json(url, body, &answer, &http_status) != 0) {
    return -1;
  }
  status = asyncrpc_enroll_read_answer((int)http_status, answer.data, answer.length, device_id, key, certificate,
                                       sizeof certificate, chain, sizeof chain, reason, sizeof reason);
  if (status != ASYNCRPC_ENROLL_OK) {
    fprintf(stderr, "ERROR asyncrpc: enrollment refused (%s, HTTP %ld): %s\n", asyncrpc_enroll_status_name(status),
            http_status, reason);
    return -1;
  }
  if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
    perror(dir);
    return -1;
  }
  if (write_file(key_path, key, NULL, 0600) != 0 || write_file(certificate_path, certificate, chain, 0644) != 0) {
    fprintf(stderr, "ERROR asyncrpc: cannot write the identity into %s\n", dir);
    unlink(key_path);
    return -1;
  }
  memset(key, 0, sizeof key);
  printf("enrolled %s\n", device_id);
  fflush(stdout);
  return 0;
}
