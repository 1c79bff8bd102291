#pragma once

#include "discovery.h"
#include "esp_err.h"
#include "identity.h"

/**
 * Starts esp-mqtt (MQTT 5, mTLS with the device certificate) and the protocol task that runs the
 * portable core. esp-mqtt's event handler only copies messages into a ring buffer; the core runs on
 * its own task, so a long handler never stalls the MQTT keep-alive.
 */
esp_err_t mqtt_port_start(const device_identity_t *identity, const broker_t *broker);
