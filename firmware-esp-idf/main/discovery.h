#pragma once

#include <stdbool.h>

#include "esp_err.h"
#include "identity.h"

typedef struct {
  char uri[128];
  bool tls;
} broker_t;

/** The broker: CONFIG_ASYNCRPC_BROKER_URI, else mDNS _secure-mqtt._tcp (then _mqtt._tcp if allowed). */
esp_err_t discovery_find_broker(const device_identity_t *identity, broker_t *broker);
