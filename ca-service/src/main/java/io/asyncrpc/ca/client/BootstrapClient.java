package io.asyncrpc.ca.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Makes the bootstrap admin client at start-up when it is missing, and gives it the configured
 * secret, tenant and scopes when they changed: the configuration is the truth for this one client,
 * so rotating its secret is a restart with a new value.
 */
@Component
class BootstrapClient implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(BootstrapClient.class);

  private final ClientRegistry registry;
  private final BootstrapClientProperties properties;

  BootstrapClient(ClientRegistry registry, BootstrapClientProperties properties) {
    this.registry = registry;
    this.properties = properties;
  }

  @Override
  public void run(ApplicationArguments args) {
    if (isBlank(properties.id()) || isBlank(properties.secret())) {
      log.warn(
          "no bootstrap client configured (IOTCORE_BOOTSTRAP_CLIENT_ID/SECRET): only existing"
              + " clients can get tokens");
      return;
    }
    registry.ensure(properties.id(), properties.tenant(), properties.secret(), properties.scopes());
    log.info(
        "bootstrap client '{}' of tenant '{}' ready with scopes {}",
        properties.id(),
        properties.tenant(),
        properties.scopes());
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
