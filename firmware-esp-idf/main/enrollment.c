#include "enrollment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asyncrpc/enroll.h"
#include "esp_http_client.h"
#include "esp_log.h"
#include "mbedtls/ctr_drbg.h"
#include "mbedtls/entropy.h"
#include "nvs.h"

#define PARTITION "certs"
#define NAMESPACE "device"
#define ANSWER_MAX 8192
#define BODY_MAX 2048

static const char *TAG = "enrollment";

/* Large buffers are static: this runs once, on the main task, before MQTT starts. */
static char key_pem[ASYNCRPC_ENROLL_KEY_PEM_MAX];
static char csr_pem[ASYNCRPC_ENROLL_CSR_PEM_MAX];
static char body[BODY_MAX];
static char answer[ANSWER_MAX];
static char certificate[ASYNCRPC_ENROLL_CERT_PEM_MAX];
static char chain[2 * ASYNCRPC_ENROLL_CERT_PEM_MAX];

static esp_err_t make_key_and_csr(const char *device_id) {
  mbedtls_entropy_context entropy; /* ESP-IDF feeds it from the hardware RNG */
  mbedtls_ctr_drbg_context drbg;
  mbedtls_entropy_init(&entropy);
  mbedtls_ctr_drbg_init(&drbg);
  asyncrpc_enroll_status_t status = ASYNCRPC_ENROLL_CRYPTO;
  if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, (const unsigned char *)device_id,
                            strlen(device_id)) == 0) {
    status = asyncrpc_enroll_make_key(key_pem, sizeof key_pem, mbedtls_ctr_drbg_random, &drbg);
    if (status == ASYNCRPC_ENROLL_OK) {
      status = asyncrpc_enroll_make_csr(device_id, key_pem, csr_pem, sizeof csr_pem, mbedtls_ctr_drbg_random,
                                        &drbg);
    }
  }
  mbedtls_ctr_drbg_free(&drbg);
  mbedtls_entropy_free(&entropy);
  if (status != ASYNCRPC_ENROLL_OK) {
    ESP_LOGE(TAG, "cannot make key and CSR: %s", asyncrpc_enroll_status_name(status));
    return ESP_FAIL;
  }
  return ESP_OK;
}

/* POST <ca_url>/enroll; HTTPS is checked against the CA chain the device trusts the broker with. */
static esp_err_t post(const char *ca_url, const char *ca_pem, int *status, int *length) {
  char url[256];
  if ((size_t)snprintf(url, sizeof url, "%s/enroll", ca_url) >= sizeof url) {
    return ESP_ERR_INVALID_SIZE;
  }
  esp_http_client_config_t config = {.url = url, .method = HTTP_METHOD_POST, .cert_pem = ca_pem, .timeout_ms = 30000};
  esp_http_client_handle_t client = esp_http_client_init(&config);
  if (client == NULL) {
    return ESP_ERR_NO_MEM;
  }
  esp_http_client_set_header(client, "Content-Type", "application/json");
  esp_http_client_set_header(client, "Accept", "application/json, application/problem+json");
  int body_length = (int)strlen(body);
  esp_err_t err = esp_http_client_open(client, body_length);
  if (err == ESP_OK && esp_http_client_write(client, body, body_length) != body_length) {
    err = ESP_FAIL;
  }
  if (err == ESP_OK && esp_http_client_fetch_headers(client) < 0) {
    err = ESP_FAIL;
  }
  if (err == ESP_OK) {
    *status = esp_http_client_get_status_code(client);
    int total = 0, read;
    while (total < ANSWER_MAX - 1 && (read = esp_http_client_read(client, answer + total, ANSWER_MAX - 1 - total)) > 0) {
      total += read;
    }
    answer[total] = '\0';
    *length = total;
  }
  esp_http_client_close(client);
  esp_http_client_cleanup(client);
  return err;
}

static esp_err_t store(nvs_handle_t handle, device_identity_t *identity) {
  size_t certificate_length = strlen(certificate);
  char *presented = malloc(certificate_length + strlen(chain) + 1); /* certificate, then the device CA */
  if (presented == NULL) {
    return ESP_ERR_NO_MEM;
  }
  memcpy(presented, certificate, certificate_length);
  strcpy(presented + certificate_length, chain);
  esp_err_t err = nvs_set_str(handle, "key", key_pem);
  if (err == ESP_OK) {
    err = nvs_set_str(handle, "cert", presented);
  }
  if (err == ESP_OK) {
    err = nvs_erase_key(handle, "enroll_token"); /* one-time: ca-service has consumed it */
  }
  if (err == ESP_OK) {
    err = nvs_commit(handle);
  }
  if (err != ESP_OK) {
    free(presented);
    return err;
  }
  identity->cert_pem = presented;
  identity->key_pem = strdup(key_pem);
  memset(key_pem, 0, sizeof key_pem);
  return identity->key_pem == NULL ? ESP_ERR_NO_MEM : ESP_OK;
}

esp_err_t enrollment_ensure(device_identity_t *identity) {
  if (identity->cert_pem != NULL) {
    return ESP_OK;
  }
  nvs_handle_t handle;
  esp_err_t err = nvs_open_from_partition(PARTITION, NAMESPACE, NVS_READWRITE, &handle);
  if (err != ESP_OK) {
    return err;
  }
  char *token = identity_read_string(handle, "enroll_token");
  char *ca_url = identity_read_string(handle, "ca_url");
  if (token == NULL || ca_url == NULL) {
    ESP_LOGW(TAG, "no certificate and no enrollment token: development login only");
    err = ESP_OK;
  } else {
    ESP_LOGI(TAG, "enrolling %s at %s", identity->device_id, ca_url);
    int status = 0, length = 0;
    char reason[128];
    err = make_key_and_csr(identity->device_id);
    if (err == ESP_OK && asyncrpc_enroll_request_body(token, csr_pem, body, sizeof body) != ASYNCRPC_ENROLL_OK) {
      err = ESP_ERR_INVALID_SIZE;
    }
    if (err == ESP_OK) {
      err = post(ca_url, identity->ca_pem, &status, &length);
    }
    if (err == ESP_OK) {
      asyncrpc_enroll_status_t result =
          asyncrpc_enroll_read_answer(status, answer, (size_t)length, identity->device_id, key_pem, certificate,
                                      sizeof certificate, chain, sizeof chain, reason, sizeof reason);
      if (result != ASYNCRPC_ENROLL_OK) {
        ESP_LOGE(TAG, "enrollment refused (%s, HTTP %d): %s", asyncrpc_enroll_status_name(result), status, reason);
        err = ESP_FAIL;
      }
    }
    if (err == ESP_OK) {
      err = store(handle, identity);
    }
    if (err == ESP_OK) {
      ESP_LOGI(TAG, "enrolled: certificate stored");
    }
  }
  memset(key_pem, 0, sizeof key_pem);
  free(token);
  free(ca_url);
  nvs_close(handle);
  return err;
}
