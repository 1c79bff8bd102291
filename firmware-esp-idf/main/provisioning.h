#pragma once

/** Connects the Wi-Fi station, first running wifi_provisioning if no credentials are stored. */
void provisioning_connect_wifi(const char *device_id);
