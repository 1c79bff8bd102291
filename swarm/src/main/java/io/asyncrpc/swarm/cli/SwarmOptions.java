package io.asyncrpc.swarm.cli;

import io.asyncrpc.swarm.SwarmSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Options of {@code java -jar swarm-cli.jar}.
 *
 * @param settings how the swarm connects and behaves
 * @param duration how long to run, or {@code null} until interrupted
 */
record SwarmOptions(SwarmSettings settings, Duration duration) {

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
        --duration-s S         stop after S seconds (default: run until interrupted)
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
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--ack")) {
        ack = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + name);
      }
      String value = args[++i];
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
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    SwarmSettings settings =
        SwarmSettings.of(host, port, prefix, devices)
            .withCredentials(username, password)
            .withWork(minWork, maxWork, failureRate)
            .withPolling(poll, Duration.ofSeconds(5))
            .withConnections(addresses, connectRate)
            .withAcknowledgements(ack);
    return new SwarmOptions(settings, duration);
  }
}
