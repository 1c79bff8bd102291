package io.asyncrpc.reliability.run;

import io.asyncrpc.reliability.infra.Fixture;
import io.asyncrpc.reliability.infra.NetworkProxy;
import io.asyncrpc.reliability.load.ApiLoad;
import io.asyncrpc.reliability.load.DeviceLog;
import io.asyncrpc.reliability.load.FlakyWebhookReceiver;
import io.asyncrpc.swarm.Swarm;
import io.asyncrpc.swarm.SwarmSettings;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.process.ServiceProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * The whole system on private infrastructure: the database, one or three broker nodes, one
 * api-service, one or two core-services, a swarm of simulated devices and the REST load.
 */
public final class SystemUnderTest implements AutoCloseable {

  /** Devices that only get tasks from device faults, so the next task they see is the fault's. */
  static final int FAULT_DEVICES = 4;

  /** Small and quick to start on two cores; the suite is not a benchmark. */
  private static final List<String> SERVICE_JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

  final Fixture fixture;
  final int nodes;
  final ServiceProcess api;
  final List<ServiceProcess> cores = new ArrayList<>();
  final DeviceLog deviceLog = new DeviceLog();
  final List<String> loadDevices;
  final List<String> faultDevices;
  final ApiLoad load;
  final Swarm swarm;
  final @Nullable NetworkProxy proxy;
  final FlakyWebhookReceiver webhooks;

  /** The proxy between the devices and the broker, which the network faults need. */
  NetworkProxy proxy() {
    return Objects.requireNonNull(
        proxy, "a network fault needs a plan whose devices connect through the proxy");
  }

  /** When the fault being injected took effect (a process killed, a node stopped); null before. */
  volatile java.time.@Nullable Instant harmedAt;

  SystemUnderTest(Plan plan, Path logDir) {
    this.fixture = new Fixture(logDir);
    this.nodes = plan.brokerNodes();
    fixture.down(); // a previous run's leftovers
    fixture.freshDatabase();
    fixture.startBroker(nodes);

    // The cluster's every node: spring.rabbitmq.addresses outranks the host and port.
    List<String> common =
        new ArrayList<>(
            Endpoints.springArgs(
                fixture.jdbcUrl(),
                fixture.dbUser(),
                fixture.dbPassword(),
                "127.0.0.1",
                fixture.amqpPort(1),
                fixture.amqpUser(),
                fixture.amqpPassword()));
    common.add("--spring.rabbitmq.addresses=" + addresses());
    List<String> apiArgs = new ArrayList<>(common);
    // The suite's webhook receiver listens on loopback; retries come within the run's drain.
    apiArgs.add("--iot.webhooks.allow-private-targets=true");
    apiArgs.add("--iot.webhooks.retry.initial-interval=1s");
    apiArgs.add("--iot.webhooks.retry.multiplier=2");
    apiArgs.add("--iot.webhooks.retry.max-interval=5s");
    apiArgs.add("--iot.webhooks.retry.max-attempts=50");
    apiArgs.add("--iot.webhooks.disable-after-failures=100000");
    // A sender killed mid-attempt leaves its claim; it is taken again after this lease.
    apiArgs.add("--iot.webhooks.lease=25s");
    int apiPort = freePort();
    api =
        service("api-service", "api-service", apiPort, apiArgs, logDir)
            .trustingTestTokens()
            .build();
    List<String> coreArgs = new ArrayList<>(common);
    // A short lease, so a device that crashed holding a task gets it back within the run.
    coreArgs.add("--iot.core.lease=5s");
    if (nodes > 1) {
      // A cluster keeps the core's queues as quorum queues, so they survive a node's death.
      coreArgs.add("--iot.core.queue-type=quorum");
    }
    for (int i = 1; i <= plan.coreInstances(); i++) {
      cores.add(service("core-service-" + i, "core-service", freePort(), coreArgs, logDir).build());
    }
    // api-service runs Flyway first; the cores start side by side after it.
    api.start().awaitHealthy();
    CompletableFuture.allOf(
            cores.stream()
                .map(core -> CompletableFuture.runAsync(() -> core.start().awaitHealthy()))
                .toArray(CompletableFuture[]::new))
        .join();

    ApiClient api = ApiLoad.client("http://127.0.0.1:" + apiPort + "/api/v1");
    load = new ApiLoad(api);
    // Every fifth request refused on purpose: deliveries are retried under the faults too.
    webhooks = new FlakyWebhookReceiver(5);
    webhooks.register(api);
    int count = plan.devices() + FAULT_DEVICES;
    proxy = plan.deviceProxy() ? new NetworkProxy("127.0.0.1", fixture.mqttPort(1)) : null;
    int devicePort = proxy == null ? fixture.mqttPort(1) : proxy.port();
    SwarmSettings settings =
        SwarmSettings.of("127.0.0.1", devicePort, "rel", count)
            .withCredentials(fixture.deviceUser(), fixture.devicePassword())
            .withWork(Duration.ofMillis(20), Duration.ofMillis(200), 0.1)
            .withPolling(Duration.ofSeconds(2), Duration.ofSeconds(2))
            .withConnections(List.of(), 200)
            .withAcknowledgements(true)
            // Half the devices speak protocol v2 (push), half v1, under the same faults.
            .withV2Fraction(0.5);
    List<String> all = settings.deviceIds();
    loadDevices = all.subList(0, plan.devices());
    faultDevices = all.subList(plan.devices(), count);
    load.register(all);
    swarm =
        new Swarm(settings, deviceLog)
            .reconnecting(proxy == null ? mqttPorts() : List.of(proxy.port()));
    try {
      swarm.start().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the swarm did not connect", e);
    }
    load.start(loadDevices, plan.taskPeriod());
  }

  /** Called by a fault at the moment it takes effect. */
  void harmed() {
    harmedAt = java.time.Instant.now();
  }

  List<Integer> mqttPorts() {
    return IntStream.rangeClosed(1, nodes).mapToObj(fixture::mqttPort).toList();
  }

  private String addresses() {
    return String.join(
        ",",
        IntStream.rangeClosed(1, nodes).mapToObj(i -> "127.0.0.1:" + fixture.amqpPort(i)).toList());
  }

  @Override
  public void close() {
    load.close();
    swarm.close();
    if (proxy != null) {
      proxy.close();
    }
    cores.forEach(ServiceProcess::close);
    api.close();
    webhooks.close();
    fixture.down();
  }

  /**
   * An instance named {@code name} of {@code module}'s jar; system property {@code
   * iot.faults.jar-root} names another checkout to take the jars from (to test a build other than
   * the working tree's). Every life appends to one log.
   */
  private static ServiceProcess.Builder service(
      String name, String module, int port, List<String> args, Path logDir) {
    ServiceProcess.Builder builder =
        ServiceProcess.of(module).name(name).jvm(SERVICE_JVM).port(port).args(args).logDir(logDir);
    String root = System.getProperty("iot.faults.jar-root", "");
    if (!root.isBlank()) {
      builder.jarsFrom(Path.of(root));
    }
    return builder;
  }

  /**
   * A free port below the ephemeral range (32768 and up on Linux): a port the system hands out for
   * any outgoing connection may be taken again before the service binds it, and a service restarted
   * after {@code kill -9} binds the same port again.
   */
  private static int freePort() {
    int start = 21000 + ThreadLocalRandom.current().nextInt(1000);
    for (int i = 0; i < 1000; i++) {
      int port = 21000 + (start - 21000 + i) % 1000;
      try {
        new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
        return port;
      } catch (IOException e) {
        // taken: try the next
      }
    }
    throw new IllegalStateException("no free port in 21000-21999");
  }
}
