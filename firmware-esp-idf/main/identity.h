#pragma once

#include <stddef.h>

#include "asyncrpc/config.h"
#include "esp_err.h"
#include "nvs.h"

/**
 * The device's identity from the "certs" NVS partition (namespace "device"): its id (= certificate
 * CN = MQTT client id), its certificate and private key (PEM), and the CA chain it trusts the
 * broker with. Written at the factory or by enrollment (README.md), never compiled in.
 */
typedef struct {
  char device_id[ASYNCRPC_MAX_DEVICE_ID + 1];
  char *cert_pem; /* NULL without a certificate (development login only) */
  char *key_pem;
  char *ca_pem;
} device_identity_t;

esp_err_t identity_load(device_identity_t *identity);

/** Reads a string key of the partition into a heap copy (at start-up only); NULL if absent. */
char *identity_read_string(nvs_handle_t handle, const char *key);
