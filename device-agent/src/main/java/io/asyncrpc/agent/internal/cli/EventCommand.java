package io.asyncrpc.agent.internal.cli;

import io.asyncrpc.agent.DeviceAgent;
import io.asyncrpc.agent.EventOutcome;
import io.asyncrpc.agent.internal.Json;
import io.asyncrpc.protocol.DeviceEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@code java -jar device-agent-cli.jar event --type 13 --id 4711 [--payload JSON] <connection
 * options>}: connects as the device, publishes one event, prints the core's answer and exits.
 */
final class EventCommand {

  static final String USAGE =
      """
      Usage: java -jar device-agent-cli.jar event --device-id ID --type N --id N [options]

      Connects as the device (the same connection options as running it), publishes one device
      event on dev/<ID>/evt, waits for the core's answer on srv/<ID>/eva (resending it every
      --result-retry, 5 sends in all), prints it and exits: 0 stored (or type 0 / id 0, which the
      core stores without answering), 1 refused, unanswered or not connected, 2 bad arguments.
      While connected it is the device: like the run command it polls once for a task.

      Event options:
        --type N                event_type_code, a non-negative integer (the seed's 13: a cell
                                opened)
        --id N                  dev_event_id, a non-negative integer
        --payload JSON          the event's JSON document, by convention numbered tags:
                                {"101": id, "102": epochSeconds, "200": type, "300": [...]};
                                default none
        --timestamp T           dev_timestamp: epoch seconds or ISO-8601, default now
        --connect-timeout DUR   give up when not connected within, default 30s
        --help                  show this help

      Connection options: see java -jar device-agent-cli.jar --help (--host, --port,
      --username/--password, --cert/--key/--ca, --protocol, --result-retry, ...).
      """;

  /**
   * The event to publish and how to connect.
   *
   * @param event type, id and timestamp
   * @param payload the JSON payload, or {@code null}
   * @param connectTimeout how long to wait for the connection
   * @param connection the connection options, as the run command reads them
   */
  record Options(
      DeviceEvent event,
      @Nullable String payload,
      Duration connectTimeout,
      CliOptions connection) {}

  /** Sends of the event before it counts as unanswered, as the usage says. */
  private static final int ATTEMPTS = 5;

  private EventCommand() {}

  /** Runs the command; returns the process exit code (0 stored, 1 not stored, 2 usage). */
  static int run(
      String[] args, Function<String, @Nullable String> env, PrintStream out, PrintStream err)
      throws InterruptedException {
    Options options;
    try {
      Optional<Options> parsed = parse(args, env);
      if (parsed.isEmpty()) {
        out.print(USAGE);
        return 0;
      }
      options = parsed.get();
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println();
      err.print(USAGE);
      return 2;
    }
    CliOptions connection = options.connection();
    if (connection.discovery() != null) {
      Optional<CliOptions> found;
      try {
        found = AgentCli.discover(connection, out);
      } catch (RuntimeException e) {
        err.println("error: " + e.getMessage());
        return 2;
      }
      if (found.isEmpty()) {
        err.println("error: " + AgentCli.notFound(connection.discovery()));
        return 2;
      }
      connection = found.get();
    }
    DeviceAgent agent;
    try {
      agent = AgentCli.build(connection, out).eventAttempts(ATTEMPTS).build();
    } catch (RuntimeException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    try (agent) {
      return publish(agent, options, out, err);
    }
  }

  private static int publish(DeviceAgent agent, Options options, PrintStream out, PrintStream err)
      throws InterruptedException {
    DeviceEvent event = options.event();
    String name = "event " + event.typeCode() + "/" + event.deviceEventId();
    try {
      agent.start().get(options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      err.println(
          "error: not connected within " + options.connectTimeout() + "; " + name + " not sent");
      return 1;
    }
    EventOutcome outcome;
    // Bounded by the resends; a connection lost meanwhile and not back keeps the event waiting.
    Duration patience =
        options
            .connectTimeout()
            .plus(
                Objects.requireNonNull(
                        options.connection().resultRetryInterval(), "parse() sets it unless --help")
                    .multipliedBy(ATTEMPTS + 1));
    try {
      outcome =
          agent
              .publishEvent(event, options.payload())
              .get(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      err.println(
          "error: " + name + ": " + Objects.requireNonNullElse(e.getCause(), e).getMessage());
      return 1;
    } catch (TimeoutException e) {
      err.println("error: " + name + ": no outcome within " + patience + " (connection lost?)");
      return 1;
    }
    String sends = " (" + outcome.sends() + (outcome.sends() == 1 ? " send" : " sends") + ")";
    switch (outcome.status()) {
      case STORED -> out.println(name + " stored" + sends);
      case NO_ANSWER_EXPECTED ->
          out.println(name + " sent, not answered by the core (type or id 0)");
      case REFUSED -> out.println(name + " refused " + outcome.errorCode() + sends);
      case UNANSWERED -> out.println(name + " unanswered" + sends);
    }
    return outcome.status() == EventOutcome.Status.STORED
            || outcome.status() == EventOutcome.Status.NO_ANSWER_EXPECTED
        ? 0
        : 1;
  }

  /**
   * Parses the event options and hands every other argument to {@link CliOptions#parse}.
   *
   * @return empty when only the usage was asked for
   * @throws IllegalArgumentException with a message fit for the user
   */
  static Optional<Options> parse(String[] args, Function<String, @Nullable String> env) {
    String type = null;
    String id = null;
    String payload = null;
    String timestamp = null;
    String connectTimeout = "30s";
    List<String> rest = new ArrayList<>();
    Arguments arguments = new Arguments(args);
    while (arguments.next()) {
      switch (arguments.option()) {
        case "--help", "-h" -> {
          arguments.flag();
          return Optional.empty();
        }
        case "--type" -> type = arguments.value();
        case "--id" -> id = arguments.value();
        case "--payload" -> payload = arguments.value();
        case "--timestamp" -> timestamp = arguments.value();
        case "--connect-timeout" -> connectTimeout = arguments.value();
        // Values of connection options pass through too, in order.
        default -> rest.add(arguments.raw());
      }
    }
    if (type == null || id == null) {
      throw new IllegalArgumentException("--type and --id are required");
    }
    Instant at = timestamp == null ? Instant.now() : timestamp(timestamp);
    if (payload != null && !Json.isDocument(payload)) {
      throw new IllegalArgumentException("--payload: not one JSON document: " + payload);
    }
    CliOptions connection = CliOptions.parse(rest.toArray(String[]::new), env);
    if (connection.help()) {
      return Optional.empty();
    }
    return Optional.of(
        new Options(
            new DeviceEvent(number(type, "--type"), number(id, "--id"), at),
            payload,
            CliOptions.duration(connectTimeout, "--connect-timeout"),
            connection));
  }

  private static Instant timestamp(String text) {
    return DeviceEvent.timestamp(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--timestamp: epoch seconds or ISO-8601 (1970 to 9999), not " + text));
  }

  private static long number(String text, String option) {
    try {
      long value = Long.parseLong(text.strip());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + ": a non-negative integer, not " + text);
  }
}
