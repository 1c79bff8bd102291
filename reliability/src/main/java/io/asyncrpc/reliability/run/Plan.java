package io.asyncrpc.reliability.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which faults a run injects and how often, into what system.
 *
 * @param name the plan's name
 * @param brokerNodes RabbitMQ nodes (3: a cluster)
 * @param coreInstances core-service instances
 * @param devices simulated devices under load
 * @param taskPeriod one task is created every period
 * @param faults each fault and how many times it is injected
 * @param minPause shortest steady time before an injection
 * @param maxPause longest steady time before an injection
 * @param deviceProxy whether the devices reach the broker through a {@code NetworkProxy} that
 *     network faults impair
 */
public record Plan(
    String name,
    int brokerNodes,
    int coreInstances,
    int devices,
    Duration taskPeriod,
    Map<Fault, Integer> faults,
    Duration minPause,
    Duration maxPause,
    boolean deviceProxy) {

  /** The short run of {@code ./mvnw verify}: the cheap faults once each, one core, one node. */
  public static Plan shortRun() {
    Map<Fault, Integer> faults = new LinkedHashMap<>();
    faults.put(Faults.BROKER_KILL, 1);
    faults.put(Faults.DATABASE_IMMEDIATE_STOP, 1);
    faults.put(Faults.DEVICE_CRASH_AFTER_RSP, 1);
    faults.put(Faults.DEVICE_RESULT_TWICE, 1);
    faults.put(Faults.DEVICE_RESULT_LATE, 1);
    faults.put(Faults.DEVICE_STRAY_RESULT, 1);
    faults.put(Faults.RECONNECT_STORM, 1);
    return new Plan(
        "short",
        1,
        1,
        10,
        Duration.ofMillis(200),
        faults,
        Duration.ofSeconds(1),
        Duration.ofSeconds(3),
        false);
  }

  /** The long run on one broker node with two core instances: every fault many times. */
  public static Plan longRun() {
    Map<Fault, Integer> faults = new LinkedHashMap<>();
    faults.put(Faults.CORE_KILL_ONE_OF_TWO, 5);
    faults.put(Faults.CORE_KILL_ONLY, 3);
    faults.put(Faults.API_KILL, 5);
    faults.put(Faults.BROKER_RESTART, 5);
    faults.put(Faults.BROKER_KILL, 5);
    faults.put(Faults.DATABASE_IMMEDIATE_STOP, 5);
    faults.put(Faults.DEVICE_CRASH_AFTER_RSP, 10);
    faults.put(Faults.DEVICE_RESULT_TWICE, 10);
    faults.put(Faults.DEVICE_RESULT_LATE, 10);
    faults.put(Faults.DEVICE_STRAY_RESULT, 10);
    faults.put(Faults.RECONNECT_STORM, 5);
    return new Plan(
        "long",
        1,
        2,
        30,
        Duration.ofMillis(100),
        faults,
        Duration.ofSeconds(2),
        Duration.ofSeconds(8),
        false);
  }

  /** The clustered broker run: three RabbitMQ nodes, quorum queues, one node killed at a time. */
  public static Plan clusterRun() {
    Map<Fault, Integer> faults = new LinkedHashMap<>();
    faults.put(Faults.CLUSTER_NODE_KILL, 5);
    return new Plan(
        "cluster",
        3,
        2,
        30,
        Duration.ofMillis(100),
        faults,
        Duration.ofSeconds(3),
        Duration.ofSeconds(8),
        false);
  }

  /** Network faults for the devices, through a proxy between them and the broker. */
  public static Plan networkRun() {
    Map<Fault, Integer> faults = new LinkedHashMap<>();
    faults.put(Faults.NETWORK_DELAY, 3);
    faults.put(Faults.NETWORK_LOSS, 3);
    faults.put(Faults.NETWORK_STALL, 3);
    faults.put(Faults.NETWORK_CUT, 3);
    return new Plan(
        "network",
        1,
        1,
        30,
        Duration.ofMillis(100),
        faults,
        Duration.ofSeconds(2),
        Duration.ofSeconds(6),
        true);
  }

  /** The plans of a named run: {@code short}, or {@code long} (long, cluster and network). */
  public static List<Plan> named(String name) {
    return switch (name) {
      case "short" -> List.of(shortRun());
      case "long" -> List.of(longRun(), clusterRun(), networkRun());
      case "cluster" -> List.of(clusterRun());
      case "network" -> List.of(networkRun());
      default -> throw new IllegalArgumentException("no plan " + name);
    };
  }

  /** The faults in the order of injection: every repetition, shuffled. */
  List<Fault> schedule(java.util.Random random) {
    List<Fault> order = new ArrayList<>();
    faults.forEach((fault, times) -> order.addAll(java.util.Collections.nCopies(times, fault)));
    java.util.Collections.shuffle(order, random);
    return order;
  }
}
