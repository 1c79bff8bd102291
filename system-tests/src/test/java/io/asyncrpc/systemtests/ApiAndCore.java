package io.asyncrpc.systemtests;

import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.Infrastructure;
import io.asyncrpc.testsupport.process.ServiceProcess;

/**
 * api-service (trusting the test tokens) and core-service as processes against the stack's database
 * and broker, with a client of the API for tenant {@value #TENANT}.
 */
public final class ApiAndCore implements AutoCloseable {

  /** The client id and tenant of the client's tokens. */
  public static final String TENANT = "system-tests";

  private final ServiceProcess api;
  private final ServiceProcess core;
  private final ApiClient client;

  private ApiAndCore(ServiceProcess api, ServiceProcess core, int apiPort) {
    this.api = api;
    this.core = core;
    this.client = ApiClient.forTenant("http://127.0.0.1:" + apiPort + "/api/v1", TENANT);
  }

  /** Starts both and returns once both are healthy; stops what started when one does not. */
  public static ApiAndCore start() {
    int apiPort = ServiceProcess.freePort();
    ServiceProcess api =
        ServiceProcess.of("api-service")
            .port(apiPort)
            .against(Infrastructure.endpoints())
            .trustingTestTokens()
            .start();
    ServiceProcess core = null;
    try {
      api.awaitHealthy();
      core =
          ServiceProcess.of("core-service")
              .port(ServiceProcess.freePort())
              .against(Infrastructure.endpoints())
              .start()
              .awaitHealthy();
      return new ApiAndCore(api, core, apiPort);
    } catch (RuntimeException e) {
      if (core != null) {
        core.close();
      }
      api.close();
      throw e;
    }
  }

  public ApiClient client() {
    return client;
  }

  @Override
  public void close() {
    core.close();
    api.close();
  }
}
