#include "provisioning.h"

#include <stdio.h>

#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_wifi.h"
#include "freertos/FreeRTOS.h"
#include "freertos/event_groups.h"
#include "wifi_provisioning/manager.h"
#if CONFIG_ASYNCRPC_PROV_BLE
#include "wifi_provisioning/scheme_ble.h"
#else
#include "wifi_provisioning/scheme_softap.h"
#endif

static const char *TAG = "provisioning";
static EventGroupHandle_t events;
#define CONNECTED_BIT BIT0

static void on_event(void *arg, esp_event_base_t base, int32_t id, void *data) {
  (void)arg;
  if (base == WIFI_PROV_EVENT && id == WIFI_PROV_CRED_FAIL) {
    ESP_LOGW(TAG, "provisioned credentials failed; send new ones");
    wifi_prov_mgr_reset_sm_state_on_failure();
  } else if (base == WIFI_PROV_EVENT && id == WIFI_PROV_END) {
    wifi_prov_mgr_deinit();
  } else if (base == WIFI_EVENT && id == WIFI_EVENT_STA_START) {
    esp_wifi_connect();
  } else if (base == WIFI_EVENT && id == WIFI_EVENT_STA_DISCONNECTED) {
    xEventGroupClearBits(events, CONNECTED_BIT);
    esp_wifi_connect(); /* esp-mqtt reconnects on its own once the link is back */
  } else if (base == IP_EVENT && id == IP_EVENT_STA_GOT_IP) {
    ip_event_got_ip_t *got = data;
    ESP_LOGI(TAG, "ip " IPSTR, IP2STR(&got->ip_info.ip));
    xEventGroupSetBits(events, CONNECTED_BIT);
  }
}

void provisioning_connect_wifi(const char *device_id) {
  events = xEventGroupCreate();
  ESP_ERROR_CHECK(esp_event_handler_register(WIFI_PROV_EVENT, ESP_EVENT_ANY_ID, on_event, NULL));
  ESP_ERROR_CHECK(esp_event_handler_register(WIFI_EVENT, ESP_EVENT_ANY_ID, on_event, NULL));
  ESP_ERROR_CHECK(esp_event_handler_register(IP_EVENT, IP_EVENT_STA_GOT_IP, on_event, NULL));
  esp_netif_create_default_wifi_sta();
#if CONFIG_ASYNCRPC_PROV_SOFTAP
  esp_netif_create_default_wifi_ap();
#endif
  wifi_init_config_t wifi_config = WIFI_INIT_CONFIG_DEFAULT();
  ESP_ERROR_CHECK(esp_wifi_init(&wifi_config));

  wifi_prov_mgr_config_t config = {
#if CONFIG_ASYNCRPC_PROV_BLE
      .scheme = wifi_prov_scheme_ble,
      .scheme_event_handler = WIFI_PROV_SCHEME_BLE_EVENT_HANDLER_FREE_BTDM,
#else
      .scheme = wifi_prov_scheme_softap,
      .scheme_event_handler = WIFI_PROV_EVENT_HANDLER_NONE,
#endif
  };
  ESP_ERROR_CHECK(wifi_prov_mgr_init(config));
  bool provisioned = false;
  ESP_ERROR_CHECK(wifi_prov_mgr_is_provisioned(&provisioned));
  if (!provisioned) {
    /* The service name carries the device id, so the installer picks the right device. */
    char service_name[32];
    snprintf(service_name, sizeof(service_name), "PROV_%.26s", device_id);
    ESP_LOGI(TAG, "provisioning as %s", service_name);
    ESP_ERROR_CHECK(wifi_prov_mgr_start_provisioning(WIFI_PROV_SECURITY_1, (const void *)CONFIG_ASYNCRPC_PROV_POP,
                                                     service_name, NULL));
  } else {
    wifi_prov_mgr_deinit();
    ESP_ERROR_CHECK(esp_wifi_set_mode(WIFI_MODE_STA));
    ESP_ERROR_CHECK(esp_wifi_start());
  }
  xEventGroupWaitBits(events, CONNECTED_BIT, pdFALSE, pdTRUE, portMAX_DELAY);
}
