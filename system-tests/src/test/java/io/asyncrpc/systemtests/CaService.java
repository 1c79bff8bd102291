package io.asyncrpc.systemtests;

import io.asyncrpc.systemtests.security.TestPki;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import io.asyncrpc.testsupport.process.ServiceProcess;

/**
 * ca-service as a process against the stack's database and broker, with the system tests' PKI
 * ({@link TestPki}) and one bootstrap client whose id is also its tenant.
 */
public final class CaService {

  private CaService() {}

  /**
   * Starts it on {@code port} and returns once it is healthy (stopped again if it never is).
   *
   * @param client the bootstrap client's id and tenant
   * @param secret its secret
   * @param more further arguments (a later option wins)
   */
  public static ServiceProcess start(
      String name, int port, String client, String secret, String... more) {
    Endpoints endpoints = Infrastructure.endpoints();
    ServiceProcess ca =
        ServiceProcess.of("ca-service")
            .name(name)
            .port(port)
            .against(endpoints)
            .args(
                "--iot.ca.pki-dir=" + TestPki.directory(),
                "--iot.ca.crl-url=http://127.0.0.1:" + port + "/crl",
                "--iot.ca.broker.management-url=http://"
                    + endpoints.amqpHost()
                    + ":"
                    + endpoints.managementPort(),
                "--iot.ca.broker.username=" + endpoints.amqpUser(),
                "--iot.ca.broker.password=" + endpoints.amqpPassword(),
                "--iot.ca.bootstrap-client.id=" + client,
                "--iot.ca.bootstrap-client.secret=" + secret,
                "--iot.ca.bootstrap-client.tenant=" + client)
            .args(more)
            .start();
    try {
      return ca.awaitHealthy();
    } catch (RuntimeException | Error e) {
      ca.close();
      throw e;
    }
  }
}
