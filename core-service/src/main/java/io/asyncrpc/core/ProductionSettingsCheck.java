package io.asyncrpc.core;

import io.asyncrpc.web.settings.RequiredSettingsCheck;
import java.util.List;
import java.util.Map;

/**
 * What core-service needs outside the {@code local} profile (policy: {@link
 * RequiredSettingsCheck}).
 */
class ProductionSettingsCheck extends RequiredSettingsCheck {

  static final List<String> REQUIRED = databaseAndBroker();

  ProductionSettingsCheck() {
    super(REQUIRED, Map.of());
  }
}
