package io.asyncrpc.ca;

import io.asyncrpc.web.settings.RequiredSettingsCheck;
import java.util.List;
import java.util.Map;

/**
 * What ca-service needs outside the {@code local} profile (policy: {@link RequiredSettingsCheck}).
 * No profile has a default bootstrap client secret.
 */
class ProductionSettingsCheck extends RequiredSettingsCheck {

  static final List<String> REQUIRED =
      java.util.stream.Stream.concat(
              DATABASE.stream(),
              java.util.stream.Stream.of(
                  "iot.ca.pki-dir",
                  "iot.ca.broker.username",
                  "iot.ca.broker.password",
                  "iot.ca.bootstrap-client.id",
                  "iot.ca.bootstrap-client.secret"))
          .toList();

  ProductionSettingsCheck() {
    super(
        REQUIRED,
        Map.of(
            "iot.ca.pki-dir", "IOTCORE_PKI_DIR",
            "iot.ca.bootstrap-client.id", "IOTCORE_BOOTSTRAP_CLIENT_ID",
            "iot.ca.bootstrap-client.secret", "IOTCORE_BOOTSTRAP_CLIENT_SECRET"));
  }
}
