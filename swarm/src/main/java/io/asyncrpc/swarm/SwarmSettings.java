package io.asyncrpc.swarm;

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
    boolean acknowledgeTriggers) {

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
        acknowledgeTriggers);
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
        acknowledgeTriggers);
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
        acknowledgeTriggers);
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
        acknowledgeTriggers);
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
        acknowledgeTriggers);
  }
}
