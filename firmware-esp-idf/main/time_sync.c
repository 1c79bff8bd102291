#include "time_sync.h"

#include "esp_log.h"
#include "esp_netif_sntp.h"
#include "freertos/FreeRTOS.h"

static const char *TAG = "time";

void time_sync_start(void) {
  esp_sntp_config_t config = ESP_NETIF_SNTP_DEFAULT_CONFIG(CONFIG_ASYNCRPC_SNTP_SERVER);
  ESP_ERROR_CHECK(esp_netif_sntp_init(&config));
  for (int attempt = 0; attempt < 6; attempt++) {
    if (esp_netif_sntp_sync_wait(pdMS_TO_TICKS(10000)) == ESP_OK) {
      ESP_LOGI(TAG, "time synchronised");
      return;
    }
    ESP_LOGW(TAG, "waiting for SNTP (%d)", attempt + 1);
  }
  /* Carry on: SNTP keeps trying in the background, and the TLS handshake fails until it has. */
  ESP_LOGE(TAG, "no SNTP answer yet");
}
