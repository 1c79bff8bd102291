package io.asyncrpc.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncrpc.agent.internal.discovery.BrokerDiscovery;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import io.asyncrpc.testsupport.process.ServiceJar;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged CLI jar as its own process against the real broker, the test playing core. */
class AgentCliIT {

  private final Endpoints endpoints = Infrastructure.endpoints();
  private final String deviceId = "agent-cli-it-" + UUID.randomUUID().toString().substring(0, 8);
  @TempDir Path dir;
  private Path log;
  private TestCore core;
  private Process process;

  @BeforeEach
  void connectCore() throws Exception {
    core = new TestCore(endpoints, deviceId);
    log = dir.resolve("agent.log");
  }

  @AfterEach
  void stop() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
    core.close();
  }

  @Test
  void printsItsUsage() throws Exception {
    Process help =
        new ProcessBuilder(java(), "-jar", jar().toString(), "--help")
            .redirectErrorStream(true)
            .start();
    String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(help.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(help.exitValue()).isZero();
    assertThat(text).contains("--device-id", "echo", "sleep", "fail", "sum");
  }

  @Test
  void answersATriggerAndStopsCleanly() throws Exception {
    start();
    await().atMost(Duration.ofSeconds(60)).until(() -> output().contains("connected"));
    UUID task = UUID.randomUUID();

    core.trigger(task, "sum");
    await().untilAsserted(() -> assertThat(core.received("req", task)).hasSize(1));
    core.respond(TestCore.task(task, "sum", "{\"values\":[1,2,3.5]}"));

    await().untilAsserted(() -> assertThat(core.received("res", task)).isNotEmpty());
    TestCore.Received result = core.received("res", task).getFirst();
    assertThat(result.properties()).containsEntry("status_code", "200");
    assertThat(result.payload()).isEqualTo("{\"sum\":6.5}");

    core.commit(task);
    await()
        .untilAsserted(() -> assertThat(output()).anyMatch(l -> l.startsWith("committed " + task)));
    assertThat(output())
        .anyMatch(l -> l.startsWith("received " + task + " method=sum"))
        .anyMatch(l -> l.startsWith("done " + task + " status=200"));

    process.toHandle().destroy(); // SIGTERM on Linux: the shutdown hook closes the connection
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    await().untilAsserted(() -> assertThat(output()).contains("stopping " + deviceId));
  }

  @Test
  void speaksV2WhenAskedWithTheInlineOptionForm() throws Exception {
    start(
        "--host=" + endpoints.amqpHost(),
        "--port=" + endpoints.mqttPort(),
        "--username=" + endpoints.deviceUser(),
        "--password=" + endpoints.devicePassword(),
        "--protocol=2");
    await().atMost(Duration.ofSeconds(60)).until(() -> output().contains("connected"));
    assertThat(output())
        .anyMatch(l -> l.startsWith("starting " + deviceId) && l.endsWith("(protocol 2)"));
    UUID pushed = UUID.randomUUID();
    UUID next = UUID.randomUUID();

    core.push(TestCore.task(pushed, "sum", "{\"values\":[1,2]}"));
    await().untilAsserted(() -> assertThat(core.received("res", pushed)).isNotEmpty());
    core.commitV2(pushed, TestCore.task(next, "echo", "{\"n\":1}"));

    await().untilAsserted(() -> assertThat(core.received("res", next)).isNotEmpty());
    assertThat(core.received("res", pushed).getFirst().properties()).containsEntry("protocol", "2");
    assertThat(core.received("res", pushed).getFirst().payload()).isEqualTo("{\"sum\":3}");
    assertThat(core.received("res", next).getFirst().payload()).isEqualTo("{\"n\":1}");
    assertThat(core.received("req", TaskIds.ZERO)).as("only the poll after connecting").hasSize(1);
  }

  @Test
  void v2StopsTheSleepAndProgressHandlersOnACancel() throws Exception {
    start(
        "--host=" + endpoints.amqpHost(),
        "--port=" + endpoints.mqttPort(),
        "--username=" + endpoints.deviceUser(),
        "--password=" + endpoints.devicePassword(),
        "--protocol=2");
    await().atMost(Duration.ofSeconds(60)).until(() -> output().contains("connected"));

    for (String[] demo :
        List.of(
            new String[] {"sleep", "{\"ms\":600000}"},
            new String[] {"progress", "{\"steps\":100,\"step_ms\":6000}"})) {
      UUID task = UUID.randomUUID();
      core.push(TestCore.task(task, demo[0], demo[1]));
      await().until(() -> output().stream().anyMatch(l -> l.startsWith("received " + task)));

      core.cancel(task);

      await().untilAsserted(() -> assertThat(core.received("cna", task)).hasSize(1));
      assertThat(core.received("cna", task).getFirst().properties())
          .containsEntry("cancel_outcome", "stopped");
      await().until(() -> output().contains("cancelled " + task + " outcome=stopped"));
      assertThat(core.received("res", task)).as(demo[0]).isEmpty();
    }
  }

  @Test
  void findsTheBrokerWithMdnsWhenNoHostIsGiven() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (JmDNS responder = JmDNS.create(loopback, "broker-host")) {
      // What the stack's avahi announces, here from this JVM on the loopback interface only.
      responder.registerService(
          ServiceInfo.create(
              "_mqtt._tcp.local.", "IoT Core test broker", endpoints.mqttPort(), "mqtt=5"));

      start(
          "--mdns-address",
          loopback.getHostAddress(),
          "--discovery-timeout",
          "20s",
          "--username",
          endpoints.deviceUser(),
          "--password",
          endpoints.devicePassword());
      await().atMost(Duration.ofSeconds(60)).until(() -> output().contains("connected"));
    }

    // This responder answers, or the stack's avahi where it announces the same broker.
    assertThat(output())
        .anyMatch(
            l ->
                l.startsWith("found \"")
                    && l.endsWith(" at " + loopback.getHostAddress() + ":" + endpoints.mqttPort()));
    UUID task = UUID.randomUUID();
    core.trigger(task, "echo");
    await().untilAsserted(() -> assertThat(core.received("req", task)).hasSize(1));
  }

  @Test
  void saysSoWhenNoBrokerIsAnnounced() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    assumeTrue(
        BrokerDiscovery.find(BrokerDiscovery.SECURE_MQTT, Duration.ofSeconds(2), loopback)
            .isEmpty(),
        "a broker is announced on this machine (scripts/stack mdns): the CLI would find it; the"
            + " not-found path is covered by BrokerDiscoveryTests and AgentCliTests");
    start(
        "--mdns-address",
        InetAddress.getLoopbackAddress().getHostAddress(),
        "--discovery-timeout",
        "1s",
        "--tls");

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(output())
        .anyMatch(
            l ->
                l.startsWith("error: no broker announced as _secure-mqtt._tcp.local.")
                    && l.contains("give --host"));
  }

  @Test
  void publishesOneEventPrintsTheAnswerAndExits() throws Exception {
    run(
        "event",
        "--device-id",
        deviceId,
        "--host",
        endpoints.amqpHost(),
        "--port=" + endpoints.mqttPort(),
        "--username",
        endpoints.deviceUser(),
        "--password",
        endpoints.devicePassword(),
        "--type",
        "13",
        "--id=4711",
        "--payload",
        "{\"101\":4711,\"200\":13,\"300\":[{\"cell\":4,\"state\":\"open\"}]}",
        "--timestamp",
        "1764072000");

    await().atMost(Duration.ofSeconds(60)).until(() -> !core.events().isEmpty());
    TestCore.Received event = core.events().getFirst();
    assertThat(event.properties())
        .containsEntry("event_type_code", "13")
        .containsEntry("dev_event_id", "4711")
        .containsEntry("dev_timestamp", "1764072000");
    core.answerEvent(event, null);

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(output()).contains("event 13/4711 stored (1 send)");
  }

  private void start() throws Exception {
    start(
        "--host",
        endpoints.amqpHost(),
        "--port",
        Integer.toString(endpoints.mqttPort()),
        "--username",
        endpoints.deviceUser(),
        "--password",
        endpoints.devicePassword());
  }

  private void start(String... connection) throws Exception {
    List<String> args = new ArrayList<>(List.of("--device-id", deviceId));
    args.addAll(List.of(connection));
    args.addAll(List.of("--poll-interval", "1h"));
    run(args.toArray(String[]::new));
  }

  private void run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(java(), "-jar", jar().toString()));
    command.addAll(List.of(args));
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            // A file, not a pipe: Process.destroy() closes the pipe before the last lines arrive.
            .redirectOutput(log.toFile())
            .start();
  }

  private List<String> output() throws IOException {
    return Files.readAllLines(log, StandardCharsets.UTF_8);
  }

  private static String java() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** The CLI jar the build names ({@code agent.cli.jar}), else the one {@link ServiceJar} picks. */
  private static Path jar() {
    String configured = System.getProperty("agent.cli.jar");
    Path jar =
        configured != null
            ? Path.of(configured)
            : ServiceJar.find(ServiceJar.repositoryRoot(), "device-agent", "cli");
    assertThat(jar).as("the CLI jar (built in package)").exists();
    return jar;
  }
}
