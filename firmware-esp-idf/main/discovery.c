#include "discovery.h"

#include <stdio.h>
#include <string.h>

#include "esp_log.h"
#include "freertos/FreeRTOS.h"
#include "esp_netif.h"
#include "mdns.h"

static const char *TAG = "discovery";

static bool query(const char *service, const char *scheme, broker_t *broker) {
  mdns_result_t *results = NULL;
  esp_err_t err = mdns_query_ptr(service, "_tcp", CONFIG_ASYNCRPC_MDNS_TIMEOUT_MS, 4, &results);
  if (err != ESP_OK || results == NULL) {
    return false;
  }
  bool found = false;
  for (mdns_result_t *r = results; r != NULL && !found; r = r->next) {
    for (mdns_ip_addr_t *a = r->addr; a != NULL; a = a->next) {
      if (a->addr.type == ESP_IPADDR_TYPE_V4) {
        /* With TLS the hostname must match the broker certificate, so prefer it over the address. */
        if (r->hostname != NULL && strcmp(scheme, "mqtts") == 0) {
          snprintf(broker->uri, sizeof(broker->uri), "%s://%s.local:%u", scheme, r->hostname, r->port);
        } else {
          snprintf(broker->uri, sizeof(broker->uri), "%s://" IPSTR ":%u", scheme, IP2STR(&a->addr.u_addr.ip4),
                   r->port);
        }
        found = true;
        break;
      }
    }
  }
  mdns_query_results_free(results);
  return found;
}

esp_err_t discovery_find_broker(const device_identity_t *identity, broker_t *broker) {
  if (strlen(CONFIG_ASYNCRPC_BROKER_URI) > 0) {
    snprintf(broker->uri, sizeof(broker->uri), "%s", CONFIG_ASYNCRPC_BROKER_URI);
    broker->tls = strncmp(broker->uri, "mqtts://", 8) == 0;
    return ESP_OK;
  }
  ESP_ERROR_CHECK(mdns_init());
  for (;;) {
    if (identity->cert_pem != NULL && query("_secure-mqtt", "mqtts", broker)) {
      broker->tls = true;
      return ESP_OK;
    }
#if CONFIG_ASYNCRPC_ALLOW_PLAIN_MQTT
    if (query("_mqtt", "mqtt", broker)) {
      broker->tls = false;
      return ESP_OK;
    }
#endif
    ESP_LOGW(TAG, "no broker announced on the LAN yet");
    vTaskDelay(pdMS_TO_TICKS(5000));
  }
}
