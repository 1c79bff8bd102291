#include "identity.h"

#include <stdlib.h>

#include "asyncrpc/core.h"
#include "esp_log.h"
#include "nvs.h"
#include "nvs_flash.h"

#define PARTITION "certs"
#define NAMESPACE "device"

static const char *TAG = "identity";

char *identity_read_string(nvs_handle_t handle, const char *key) {
  size_t length = 0;
  if (nvs_get_str(handle, key, NULL, &length) != ESP_OK || length == 0) {
    return NULL;
  }
  char *value = malloc(length);
  if (value != NULL && nvs_get_str(handle, key, value, &length) != ESP_OK) {
    free(value);
    value = NULL;
  }
  return value;
}

esp_err_t identity_load(device_identity_t *identity) {
  esp_err_t err = nvs_flash_init_partition(PARTITION);
  if (err != ESP_OK) {
    ESP_LOGE(TAG, "no '%s' partition: flash the device identity first (README.md)", PARTITION);
    return err;
  }
  nvs_handle_t handle;
  err = nvs_open_from_partition(PARTITION, NAMESPACE, NVS_READONLY, &handle);
  if (err != ESP_OK) {
    return err;
  }
  size_t length = sizeof(identity->device_id);
  err = nvs_get_str(handle, "id", identity->device_id, &length);
  if (err == ESP_OK && !asyncrpc_device_id_valid(identity->device_id)) {
    err = ESP_ERR_INVALID_ARG;
  }
  if (err == ESP_OK) {
    identity->cert_pem = identity_read_string(handle, "cert");
    identity->key_pem = identity_read_string(handle, "key");
    identity->ca_pem = identity_read_string(handle, "ca");
    if ((identity->cert_pem == NULL) != (identity->key_pem == NULL)) {
      ESP_LOGE(TAG, "certificate and key must both be present");
      err = ESP_ERR_INVALID_STATE;
    }
  }
  nvs_close(handle);
  return err;
}
