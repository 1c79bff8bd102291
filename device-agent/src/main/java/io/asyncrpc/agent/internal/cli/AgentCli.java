package io.asyncrpc.agent.internal.cli;

import io.asyncrpc.agent.AgentListener;
import io.asyncrpc.agent.DeviceAgent;
import io.asyncrpc.agent.DeviceAgentBuilder;
import io.asyncrpc.agent.Task;
import io.asyncrpc.agent.TaskResult;
import io.asyncrpc.agent.internal.discovery.BrokerDiscovery;
import io.asyncrpc.agent.internal.tls.TlsMaterial;
import io.asyncrpc.protocol.CancelOutcome;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.TrustManagerFactory;

/**
 * {@code java -jar device-agent-cli.jar}: runs one device with the demo handlers until it is
 * stopped (Ctrl-C or SIGTERM close the MQTT connection cleanly); {@code enroll} and {@code event}
 * are subcommands ({@link EnrollCommand}, {@link EventCommand}).
 */
public final class AgentCli {

  private AgentCli() {}

  /** Entry point; see {@link CliOptions#USAGE}. */
  public static void main(String[] args) throws InterruptedException {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty(
          "java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s - %5$s%6$s%n");
    }
    if (args.length > 0 && args[0].equals("enroll")) {
      System.exit(
          EnrollCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv()::get));
      return;
    }
    if (args.length > 0 && args[0].equals("event")) {
      System.exit(
          EventCommand.run(
              Arrays.copyOfRange(args, 1, args.length), System::getenv, System.out, System.err));
      return;
    }
    CliOptions options;
    try {
      options = CliOptions.parse(args, System::getenv);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println();
      System.err.print(CliOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.print(CliOptions.USAGE);
      return;
    }
    if (options.discovery() != null) {
      Optional<CliOptions> found;
      try {
        found = discover(options, System.out);
      } catch (RuntimeException e) {
        System.err.println("error: " + e.getMessage());
        System.exit(2);
        return;
      }
      if (found.isEmpty()) {
        System.err.println("error: " + notFound(options.discovery()));
        System.exit(2);
        return;
      }
      options = found.get();
    }
    DeviceAgent agent;
    try {
      agent = build(options, System.out).build();
    } catch (RuntimeException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("stopping " + agent.deviceId());
                  agent.close();
                  stopped.countDown();
                },
                "device-agent-shutdown"));
    System.out.println(
        "starting "
            + options.deviceId()
            + " -> "
            + options.host()
            + ":"
            + options.port()
            + " (protocol "
            + options.protocol().number()
            + ")");
    agent.start();
    stopped.await();
  }

  /**
   * The options with the broker found by mDNS, or empty when none answered in time.
   *
   * @throws IllegalArgumentException when the browse address is not a local address
   */
  static Optional<CliOptions> discover(CliOptions options, PrintStream out) {
    CliOptions.Discovery discovery = options.discovery();
    InetAddress address;
    try {
      address = discovery.address() == null ? null : InetAddress.getByName(discovery.address());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--mdns-address: not an address: " + discovery.address());
    }
    out.println(
        "looking for "
            + discovery.serviceType()
            + " with mDNS (up to "
            + discovery.timeout()
            + ")");
    return BrokerDiscovery.find(discovery.serviceType(), discovery.timeout(), address)
        .map(
            broker -> {
              out.println(
                  "found \"" + broker.instance() + "\" at " + broker.host() + ":" + broker.port());
              return options.withBroker(broker.host(), broker.port());
            });
  }

  static String notFound(CliOptions.Discovery discovery) {
    return "no broker announced as "
        + discovery.serviceType()
        + " answered within "
        + discovery.timeout()
        + " on the local network; give --host (and --port), or check that the broker's mDNS"
        + " announcement (avahi) runs";
  }

  static DeviceAgentBuilder build(CliOptions options, PrintStream out) {
    DeviceAgentBuilder builder =
        DeviceAgent.builder()
            .deviceId(options.deviceId())
            .broker(options.host(), options.port())
            .pollInterval(options.pollInterval())
            .resultRetryInterval(options.resultRetryInterval())
            .sessionExpiry(options.sessionExpiry())
            .acknowledgeTriggers(options.acknowledgeTriggers())
            .protocol(options.protocol())
            .listener(new ConsoleListener(out));
    if (options.username() != null) {
      builder.credentials(options.username(), options.password());
    }
    CliOptions.Tls tls = options.tls();
    if (tls != null) {
      if (tls.pkcs12() != null) {
        builder.tlsFromPkcs12(tls.pkcs12(), tls.pkcs12Password().toCharArray(), tls.ca());
      } else if (tls.certificate() != null) {
        builder.tlsFromPem(tls.certificate(), tls.key(), tls.ca());
      } else {
        builder.tls(null, tls.ca() == null ? null : trust(tls.ca()));
      }
    }
    if (options.journal() != null) {
      builder.journal(options.journal());
    }
    DemoHandlers.all().forEach(builder::handler);
    return builder;
  }

  private static TrustManagerFactory trust(Path ca) {
    try {
      return TlsMaterial.trustManagers(ca);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** One line per event on the console, easy to read and to grep. */
  private record ConsoleListener(PrintStream out) implements AgentListener {

    @Override
    public void connected() {
      out.println("connected");
    }

    @Override
    public void disconnected(Throwable cause) {
      out.println("disconnected" + (cause == null ? "" : ": " + cause.getMessage()));
    }

    @Override
    public void taskReceived(Task task) {
      out.println(
          "received "
              + task.id()
              + " method="
              + task.methodCode()
              + " attempt="
              + task.attempt()
              + " payload="
              + task.payload());
    }

    @Override
    public void taskDone(Task task, TaskResult result) {
      out.println(
          "done " + task.id() + " status=" + result.statusCode() + " result=" + result.body());
    }

    @Override
    public void resultResent(UUID taskId) {
      out.println("resent " + taskId);
    }

    @Override
    public void resultCommitted(UUID taskId, UUID resultId) {
      out.println("committed " + taskId + " result_id=" + resultId);
    }

    @Override
    public void taskCancelled(UUID taskId, CancelOutcome outcome) {
      out.println("cancelled " + taskId + " outcome=" + outcome.code());
    }

    @Override
    public void errorReceived(UUID taskId, String errorCode, String message) {
      out.println("error " + taskId + " " + errorCode + (message.isEmpty() ? "" : " " + message));
    }
  }
}
