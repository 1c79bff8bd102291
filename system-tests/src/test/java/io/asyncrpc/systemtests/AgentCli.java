package io.asyncrpc.systemtests;

import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import io.asyncrpc.testsupport.process.ServiceProcess;
import java.util.List;

/** The device agent's packaged CLI as a process of its own, one device of the test stack. */
public final class AgentCli {

  private AgentCli() {}

  /**
   * The CLI jar running {@code device} against the stack's broker with the development device
   * login, polling every 2 s; more arguments may follow (a later option wins).
   */
  public static ServiceProcess.Builder device(String name, String device) {
    return ServiceProcess.of("device-agent")
        .classifier("cli")
        .name(name)
        .args("--device-id", device)
        .args(brokerArgs())
        .args("--poll-interval", "2s");
  }

  /**
   * The options that point a device CLI (the agent's, the swarm's: they name them alike) at the
   * stack's plain MQTT listener with the development device login.
   */
  public static List<String> brokerArgs() {
    Endpoints endpoints = Infrastructure.endpoints();
    return List.of(
        "--host",
        endpoints.amqpHost(),
        "--port",
        String.valueOf(endpoints.mqttPort()),
        "--username",
        endpoints.deviceUser(),
        "--password",
        endpoints.devicePassword());
  }
}
