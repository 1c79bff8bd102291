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
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

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
    CliOptions.Discovery discovery =
        Objects.requireNonNull(options.discovery(), "options without a host have a discovery");
    String given = discovery.address();
    InetAddress address;
    try {
      address = given == null ? null : InetAddress.getByName(given);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--mdns-address: not an address: " + given);
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
            .deviceId(required(options.deviceId()))
            .broker(
                Objects.requireNonNull(
                    options.host(), "discover() gives options without a host one"),
                options.port())
            .pollInterval(required(options.pollInterval()))
            .resultRetryInterval(required(options.resultRetryInterval()))
            .sessionExpiry(required(options.sessionExpiry()))
            .acknowledgeTriggers(options.acknowledgeTriggers())
            .protocol(options.protocol())
            .listener(new ConsoleListener(out));
    // parse() gives both a username and a password, or neither; both --cert and --key, or neither.
    String username = options.username();
    String password = options.password();
    if (username != null && password != null) {
      builder.credentials(username, password);
    }
    CliOptions.Tls tls = options.tls();
    if (tls != null) {
      Path pkcs12 = tls.pkcs12();
      Path certificate = tls.certificate();
      Path key = tls.key();
      Path ca = tls.ca();
      if (pkcs12 != null) {
        builder.tlsFromPkcs12(pkcs12, tls.pkcs12Password().toCharArray(), ca);
      } else if (certificate != null && key != null) {
        builder.tlsFromPem(certificate, key, ca);
      } else {
        builder.tls(null, ca == null ? null : trust(ca));
      }
    }
    if (options.journal() != null) {
      builder.journal(options.journal());
    }
    DemoHandlers.all().forEach(builder::handler);
    return builder;
  }

  /** A value parse() leaves out only for --help, which is never built. */
  private static <T> T required(@Nullable T value) {
    return Objects.requireNonNull(value, "parse() sets it unless --help");
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
    public void disconnected(@Nullable Throwable cause) {
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
    public void resultCommitted(UUID taskId, @Nullable UUID resultId) {
      out.println("committed " + taskId + " result_id=" + resultId);
    }

    @Override
    public void taskCancelled(UUID taskId, CancelOutcome outcome) {
      out.println("cancelled " + taskId + " outcome=" + outcome.code());
    }

    @Override
    public void errorReceived(@Nullable UUID taskId, String errorCode, String message) {
      out.println("error " + taskId + " " + errorCode + (message.isEmpty() ? "" : " " + message));
    }
  }
}
