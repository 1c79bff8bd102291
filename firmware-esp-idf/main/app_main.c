/*
 * ESP32 firmware of the IoT Async-RPC Core: Wi-Fi (provisioned over BLE/SoftAP), SNTP, the
 * device identity from the "certs" NVS partition (enrolled at ca-service on first start when it
 * holds a token instead of a certificate), the broker from Kconfig or mDNS, then the
 * portable protocol core on esp-mqtt (MQTT 5, mTLS).
 */
#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "nvs_flash.h"

#include "discovery.h"
#include "enrollment.h"
#include "identity.h"
#include "mqtt_port.h"
#include "provisioning.h"
#include "time_sync.h"

static const char *TAG = "asyncrpc";

static void init_nvs(void) {
  esp_err_t err = nvs_flash_init();
  if (err == ESP_ERR_NVS_NO_FREE_PAGES || err == ESP_ERR_NVS_NEW_VERSION_FOUND) {
    /* The default partition holds Wi-Fi credentials and the task journal; both can be rebuilt. */
    ESP_ERROR_CHECK(nvs_flash_erase());
    err = nvs_flash_init();
  }
  ESP_ERROR_CHECK(err);
}

void app_main(void) {
  init_nvs();
  ESP_ERROR_CHECK(esp_netif_init());
  ESP_ERROR_CHECK(esp_event_loop_create_default());

  static device_identity_t identity;
  ESP_ERROR_CHECK(identity_load(&identity));
  ESP_LOGI(TAG, "device %s", identity.device_id);

  provisioning_connect_wifi(identity.device_id); /* blocks until the station has an IP */
  time_sync_start();                             /* certificates need the wall clock */
  ESP_ERROR_CHECK(enrollment_ensure(&identity)); /* first start: key made here, CSR to ca-service */

  static broker_t broker;
  ESP_ERROR_CHECK(discovery_find_broker(&identity, &broker));
  ESP_LOGI(TAG, "broker %s", broker.uri);

  ESP_ERROR_CHECK(mqtt_port_start(&identity, &broker));
  /* Device events, from any task once started: mqtt_port_publish_event(13, 4711, time(NULL),
   * "{\"101\": 4711, \"200\": 13, \"300\": []}"); outcomes through mqtt_port_on_event() (see mqtt_port.h). */
}
