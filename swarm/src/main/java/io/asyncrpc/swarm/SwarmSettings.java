package io.asyncrpc.swarm;

import io.asyncrpc.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * How a swarm connects and how its devices behave.
 *
 * @param host the MQTT broker's host
 * @param port its MQTT port
 * @param username the MQTT login (the development login; certificates come with identities)
 * @param password its password
 * @param deviceIds the devices to simulate, each its own connection with client id = device id
 * @param localAddresses loopback source addresses to spread connections over, since one source
 *     address has about 28,000 ephemeral ports; empty for the system's choice
 * @param minWork shortest simulated work per task
 * @param maxWork longest simulated work per task
 * @param failureRate share of tasks answered with status code 500, 0 to 1
 * @param pollInterval how often an idle device polls its FIFO with the zero UUID
 * @param resultRetry how long a device waits for the commit before it sends its result again
 * @param connectsPerSecond how many devices connect per second at start
 * @param acknowledgeTriggers whether devices send the optional {@code ack} for a trigger
 * @param v2Fraction the share of devices that speak protocol v2 (pushed tasks, the next task in the
 *     commit), 0 to 1, spread evenly over the devices; the others speak v1. Default 0: all v1
 * @param eventRate device events ({@code evt}) each device publishes per second, with increasing
 *     ids and the seed's numbered-tag payload; fractions allowed (0.1: one every 10 s). Default 0:
 *     none
 * @param progress whether a device reports progress ({@code prg}, 50 percent) halfway through a
 *     task whose simulated work takes time. Default false
 */
public record SwarmSettings(
    String host,
    int port,
    String username,
    String password,
    List<String> deviceIds,
    List<String> localAddresses,
    Duration minWork,
    Duration maxWork,
    double failureRate,
    Duration pollInterval,
    Duration resultRetry,
    int connectsPerSecond,
    boolean acknowledgeTriggers,
    double v2Fraction,
    double eventRate,
    boolean progress) {

  /**
   * The highest event rate per device: a thousand a second, one a millisecond (the core's default
   * device rate limit is 20 a second).
   */
  public static final int MAX_EVENT_RATE = 1000;

  public SwarmSettings {
    deviceIds = List.copyOf(deviceIds);
    localAddresses = List.copyOf(localAddresses);
    if (failureRate < 0 || failureRate > 1) {
      throw new IllegalArgumentException("failure rate must be within 0..1: " + failureRate);
    }
    if (minWork.compareTo(maxWork) > 0) {
      throw new IllegalArgumentException("min work " + minWork + " exceeds max work " + maxWork);
    }
    if (connectsPerSecond < 1) {
      throw new IllegalArgumentException("connects per second must be positive");
    }
    if (!(v2Fraction >= 0 && v2Fraction <= 1)) {
      throw new IllegalArgumentException("v2 fraction must be within 0..1: " + v2Fraction);
    }
    if (!(eventRate >= 0 && eventRate <= MAX_EVENT_RATE)) {
      throw new IllegalArgumentException(
          "event rate must be within 0.."
              + MAX_EVENT_RATE
              + " per device and second: "
              + eventRate);
    }
  }

  /** Defaults for {@code count} devices named {@code prefix-0 … prefix-(count-1)}. */
  public static SwarmSettings of(String host, int port, String prefix, int count) {
    List<String> ids = IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
    return new SwarmSettings(
        host,
        port,
        "device",
        "device",
        ids,
        List.of(),
        Duration.ZERO,
        Duration.ZERO,
        0,
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        500,
        false,
        0,
        0,
        false);
  }

  public SwarmSettings withCredentials(String username, String password) {
    return new SwarmSettings(
        host,
        port,
        username,
        password,
        deviceIds,
        localAddresses,
        minWork,
        maxWork,
        failureRate,
        pollInterval,
        resultRetry,
        connectsPerSecond,
        acknowledgeTriggers,
        v2Fraction,
        eventRate,
        progress);
  }

  public SwarmSettings withWork(Duration min, Duration max, double failureRate) {
    return new SwarmSettings(
        host,
        port,
        username,
        password,
        deviceIds,
        localAddresses,
        min,
        max,
        failureRate,
        pollInterval,
        resultRetry,
        connectsPerSecond,
        acknowledgeTriggers,
        v2Fraction,
        eventRate,
        progress);
  }

  public SwarmSettings withPolling(Duration pollInterval, Duration resultRetry) {
    return new SwarmSettings(
        host,
        port,
        username,
        password,
        deviceIds,
        localAddresses,
        minWork,
        maxWork,
        failureRate,
        pollInterval,
        resultRetry,
        connectsPerSecond,
        acknowledgeTriggers,
        v2Fraction,
        eventRate,
        progress);
  }

  public SwarmSettings withConnections(List<String> localAddresses, int connectsPerSecond) {
    return new SwarmSettings(
        host,
        port,
        username,
        password,
        deviceIds,
        localAddresses,
        minWork,
        maxWork,
        failureRate,
        pollInterval,
        resultRetry,
        connectsPerSecond,
        acknowledgeTriggers,
        v2Fraction,
        eventRate,
        progress);
  }

  public SwarmSettings withAcknowledgements(boolean acknowledgeTriggers) {
    return new SwarmSettings(
        host,
        port,
        username,
        password,
        deviceIds,
        localAddresses,
        minWork,
        maxWork,
        failureRate,
        pollInterval,
        resultRetry,
        connectsPerSecond,
        acknowledgeTriggers,
        v2Fraction,
        eventRate,
        progress);
  }

  /** Every device speaks {@code protocol} (the default is v1). */
  public SwarmSettings withProtocol(ProtocolVersion protocol) {
    return withV2Fraction(protocol == ProtocolVersion.V2 ? 1 : 0);
  }

  /** A mixed swarm: {@code v2Fraction} of the devices speak v2, the others v1. */
  public SwarmSettings withV2Fraction(double v2Fraction) {
    return new SwarmSettings(
        host,
        port,
        username,
        password,
        deviceIds,
        localAddresses,
        minWork,
        maxWork,
        failureRate,
        pollInterval,
        resultRetry,
        connectsPerSecond,
        acknowledgeTriggers,
        v2Fraction,
        eventRate,
        progress);
  }

  /** Every device publishes {@code eventsPerSecond} events a second (0: none, the default). */
  public SwarmSettings withEventRate(double eventsPerSecond) {
    return new SwarmSettings(
        host,
        port,
        username,
        password,
        deviceIds,
        localAddresses,
        minWork,
        maxWork,
        failureRate,
        pollInterval,
        resultRetry,
        connectsPerSecond,
        acknowledgeTriggers,
        v2Fraction,
        eventsPerSecond,
        progress);
  }

  /** Whether devices report progress halfway through their simulated work (default false). */
  public SwarmSettings withProgress(boolean progress) {
    return new SwarmSettings(
        host,
        port,
        username,
        password,
        deviceIds,
        localAddresses,
        minWork,
        maxWork,
        failureRate,
        pollInterval,
        resultRetry,
        connectsPerSecond,
        acknowledgeTriggers,
        v2Fraction,
        eventRate,
        progress);
  }

  /**
   * The protocol version of the device at {@code index} in {@link #deviceIds}: of the first n
   * devices, {@code floor(n * v2Fraction)} speak v2, so a mixed swarm alternates evenly.
   */
  public ProtocolVersion protocolOf(int index) {
    boolean v2 = Math.floor((index + 1) * v2Fraction) > Math.floor(index * v2Fraction);
    return v2 ? ProtocolVersion.V2 : ProtocolVersion.V1;
  }
}
