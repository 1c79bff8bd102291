package io.asyncrpc.mcp;

import io.asyncrpc.web.settings.RequiredSettingsCheck;
import java.util.List;
import java.util.Map;

/**
 * What mcp-server needs outside the {@code local} profile (policy: {@link RequiredSettingsCheck}):
 * where api-service is, and whose keys sign the tokens it passes on. It has no database and no
 * broker: everything goes through the API.
 */
class ProductionSettingsCheck extends RequiredSettingsCheck {

  static final List<String> REQUIRED = List.of("iot.mcp.api.url", "iot.security.jwk-set-uri");

  ProductionSettingsCheck() {
    super(REQUIRED, Map.of());
  }
}
