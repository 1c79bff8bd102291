#pragma once

#include <stdint.h>

#include "asyncrpc/core.h"
#include "discovery.h"
#include "esp_err.h"
#include "identity.h"

/**
 * Starts esp-mqtt (MQTT 5, mTLS with the device certificate) and the protocol task that runs the
 * portable core. esp-mqtt's event handler only copies messages into a ring buffer; the core runs on
 * its own task, so a long handler never stalls the MQTT keep-alive.
 */
esp_err_t mqtt_port_start(const device_identity_t *identity, const broker_t *broker);

/**
 * Called on the protocol task with each event's outcome (stored, refused, no answer expected,
 * unanswered); also with REFUSED and sends == 0 when the core refused the event when it came to
 * send it (error_code "payload-not-json", "invalid-event"). Set it before mqtt_port_start.
 */
void mqtt_port_on_event(asyncrpc_event_fn callback, void *user);

/**
 * Publishes a device event on dev/<SN>/evt from any task: it is copied to the protocol task, which
 * hands it to the core (asyncrpc_core_send_event); the core sends it once connected and again until
 * srv/<SN>/eva answers it. dev_timestamp is epoch seconds (time(NULL) once SNTP has set the clock).
 * payload_json is one JSON document or NULL. Returns ESP_OK when queued;
 * ESP_ERR_INVALID_SIZE for a payload over CONFIG_ASYNCRPC_MAX_EVENT_PAYLOAD; ESP_ERR_INVALID_ARG
 * for a type or id over INT64_MAX or a timestamp past year 9999; ESP_ERR_NO_MEM when
 * CONFIG_ASYNCRPC_EVENT_SLOTS events are queued or waiting for their answer already (nothing is
 * dropped to make room: retry after an outcome); ESP_ERR_TIMEOUT when the inbox stayed full;
 * ESP_ERR_INVALID_STATE before mqtt_port_start.
 */
esp_err_t mqtt_port_publish_event(uint64_t type_code, uint64_t dev_event_id, uint64_t dev_timestamp,
                                  const char *payload_json);
