package io.asyncrpc.swarm.cli;

import io.asyncrpc.protocol.ProtocolVersion;
import io.asyncrpc.swarm.SwarmSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Options of {@code java -jar swarm-cli.jar}.
 *
 * @param settings how the swarm connects and behaves
 * @param duration how long to run, or {@code null} until interrupted
 */
record SwarmOptions(SwarmSettings settings, @Nullable Duration duration) {

  static final String USAGE =
      """
      usage: java -jar swarm-cli.jar [options]
        --devices N            devices to simulate (default 100)
        --prefix P             device ids are P-0 .. P-(N-1) (default sim)
        --host H --port P      MQTT 5 broker (default 127.0.0.1:1884)
        --username U --password W   MQTT login (default: the development login device/device)
        --work-ms MIN[-MAX]    simulated work per task (default 0)
        --failure-rate R       share of tasks answered with status 500, 0..1 (default 0)
        --poll-interval-s S    FIFO poll interval of an idle device (default 30)
        --connect-rate N       connections opened per second at start (default 500)
        --addresses A,B,...    loopback source addresses to spread connections over
        --ack                  send the optional ack for triggers
        --protocol 1|2         device protocol version of every device (default 1)
        --v2-fraction F        a mixed swarm: share of devices speaking v2, 0..1, spread evenly
        --event-rate R         device events (evt) per device and second, fractions allowed
                               (default 0: none)
        --progress             report progress (prg, 50%) halfway through each task's work
        --duration-s S         stop after S seconds (default: run until interrupted)
      every option with a value may also be given as --option=value (a value beginning
      with -- must be)
      """;

  static SwarmOptions parse(String... args) {
    int devices = 100;
    String prefix = "sim";
    String host = "127.0.0.1";
    int port = 1884;
    String username = "device";
    String password = "device";
    Duration minWork = Duration.ZERO;
    Duration maxWork = Duration.ZERO;
    double failureRate = 0;
    Duration poll = Duration.ofSeconds(30);
    int connectRate = 500;
    List<String> addresses = List.of();
    boolean ack = false;
    Duration duration = null;
    ProtocolVersion protocol = null;
    Double v2Fraction = null;
    double eventRate = 0;
    boolean progress = false;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      String value;
      int equals = name.startsWith("--") ? name.indexOf('=') : -1;
      if (equals >= 0) {
        value = name.substring(equals + 1);
        name = name.substring(0, equals);
        if (name.equals("--ack") || name.equals("--progress")) {
          throw new IllegalArgumentException(name + " takes no value");
        }
      } else if (name.equals("--ack")) {
        ack = true;
        continue;
      } else if (name.equals("--progress")) {
        progress = true;
        continue;
      } else if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + name);
      } else if (args[i + 1].startsWith("--")) {
        // Most likely a forgotten value (--prefix --devices 5), as the device agent reads it.
        throw new IllegalArgumentException(
            "missing value for "
                + name
                + " (one beginning with -- is given as "
                + name
                + "=VALUE)");
      } else {
        value = args[++i];
      }
      if (value.isEmpty()) {
        throw new IllegalArgumentException("missing value for " + name);
      }
      switch (name) {
        case "--devices" -> devices = Integer.parseInt(value);
        case "--prefix" -> prefix = value;
        case "--host" -> host = value;
        case "--port" -> port = Integer.parseInt(value);
        case "--username" -> username = value;
        case "--password" -> password = value;
        case "--work-ms" -> {
          String[] range = value.split("-", 2);
          minWork = Duration.ofMillis(Long.parseLong(range[0]));
          maxWork = range.length == 2 ? Duration.ofMillis(Long.parseLong(range[1])) : minWork;
        }
        case "--failure-rate" -> failureRate = Double.parseDouble(value);
        case "--poll-interval-s" -> poll = Duration.ofSeconds(Long.parseLong(value));
        case "--connect-rate" -> connectRate = Integer.parseInt(value);
        case "--addresses" -> addresses = Arrays.asList(value.split(","));
        case "--duration-s" -> duration = Duration.ofSeconds(Long.parseLong(value));
        case "--protocol" -> protocol = protocol(value);
        case "--v2-fraction" -> v2Fraction = Double.parseDouble(value);
        case "--event-rate" -> eventRate = number(value, "--event-rate");
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    SwarmSettings settings =
        SwarmSettings.of(host, port, prefix, devices)
            .withCredentials(username, password)
            .withWork(minWork, maxWork, failureRate)
            .withPolling(poll, Duration.ofSeconds(5))
            .withConnections(addresses, connectRate)
            .withAcknowledgements(ack)
            .withEventRate(eventRate)
            .withProgress(progress);
    if (protocol != null && v2Fraction != null) {
      throw new IllegalArgumentException("give --protocol or --v2-fraction, not both");
    }
    if (protocol != null) {
      settings = settings.withProtocol(protocol);
    } else if (v2Fraction != null) {
      settings = settings.withV2Fraction(v2Fraction);
    }
    return new SwarmOptions(settings, duration);
  }

  private static double number(String value, String option) {
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": not a number: " + value);
    }
  }

  private static ProtocolVersion protocol(String value) {
    try {
      Optional<ProtocolVersion> version = ProtocolVersion.of(Integer.parseInt(value.trim()));
      if (version.isPresent()) {
        return version.get();
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--protocol: 1 or 2, not " + value);
  }
}
