package io.asyncrpc.api;

import io.asyncrpc.web.settings.RequiredSettingsCheck;
import java.util.List;
import java.util.Map;

/**
 * What api-service needs outside the {@code local} profile (policy: {@link RequiredSettingsCheck}).
 */
class ProductionSettingsCheck extends RequiredSettingsCheck {

  static final List<String> REQUIRED = databaseAndBroker();

  ProductionSettingsCheck() {
    super(REQUIRED, Map.of());
  }
}
