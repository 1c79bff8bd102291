package io.asyncrpc.reliability.run;

import io.asyncrpc.reliability.history.AcceptedTask;
import io.asyncrpc.swarm.DeviceFault;
import io.asyncrpc.testsupport.process.ServiceProcess;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** The catalogue of faults, by name. */
final class Faults {

  private static final AtomicInteger NEXT_FAULT_DEVICE = new AtomicInteger();

  private Faults() {}

  static final Fault CORE_KILL_ONE_OF_TWO =
      fault(
          "core-service kill -9 (one of two)",
          s -> {
            ServiceProcess core = s.cores.get(random(s.cores.size()));
            core.kill();
            s.harmed();
            core.start().awaitHealthy();
            return Optional.empty();
          });

  static final Fault CORE_KILL_ONLY =
      fault(
          "core-service kill -9 (the only one)",
          s -> {
            // The others are stopped cleanly first (not part of the fault) and come back after.
            s.cores.subList(1, s.cores.size()).forEach(ServiceProcess::close);
            ServiceProcess core = s.cores.get(0);
            core.kill();
            s.harmed();
            core.start().awaitHealthy();
            return Optional.empty();
          });

  static final Fault API_KILL =
      fault(
          "api-service kill -9",
          s -> {
            s.api.kill();
            s.harmed();
            s.api.start().awaitHealthy();
            return Optional.empty();
          });

  static final Fault BROKER_RESTART =
      fault(
          "RabbitMQ clean stop/start",
          s -> {
            int node = 1 + random(s.nodes);
            s.fixture.stopNode(node);
            s.harmed();
            s.fixture.startNode(node);
            return Optional.empty();
          });

  static final Fault BROKER_KILL =
      fault(
          "RabbitMQ kill -9",
          s -> {
            int node = 1 + random(s.nodes);
            s.fixture.killNode(node);
            s.harmed();
            s.fixture.startNode(node);
            return Optional.empty();
          });

  static final Fault CLUSTER_NODE_KILL =
      fault(
          "RabbitMQ cluster: one of 3 nodes kill -9",
          s -> {
            int node = 1 + random(s.nodes);
            s.fixture.killNode(node);
            s.harmed();
            pause(5_000); // the cluster runs on two nodes for a while
            s.fixture.startNode(node);
            return Optional.empty();
          });

  static final Fault DATABASE_IMMEDIATE_STOP =
      fault(
          "PostgreSQL immediate stop + restart",
          s -> {
            s.fixture.stopDatabaseImmediately();
            s.harmed();
            pause(2_000);
            s.fixture.startDatabase();
            return Optional.empty();
          });

  static final Fault DEVICE_CRASH_AFTER_RSP =
      deviceFault("device crash after rsp, before res", DeviceFault.CRASH_AFTER_RESPONSE, 120);

  static final Fault DEVICE_RESULT_TWICE =
      deviceFault("device sends res twice", DeviceFault.DUPLICATE_RESULT, 120);

  static final Fault DEVICE_RESULT_LATE =
      deviceFault("device sends res after the deadline", DeviceFault.LATE_RESULT, 3);

  static final Fault DEVICE_STRAY_RESULT =
      fault(
          "device sends res for a task it does not hold",
          s -> {
            String device = nextFaultDevice(s);
            List<AcceptedTask> accepted = s.load.accepted();
            if (!accepted.isEmpty()) {
              s.swarm.sendStrayResult(device, accepted.get(random(accepted.size())).taskId());
            }
            s.swarm.sendStrayResult(device, UUID.randomUUID());
            s.harmed();
            return Optional.empty();
          });

  static final Fault RECONNECT_STORM =
      fault(
          "reconnect storm (all devices at once)",
          s -> {
            s.swarm.reconnectAll();
            s.harmed();
            return Optional.empty();
          });

  static final Fault NETWORK_DELAY =
      network("network: 200 ms delay each way for 10 s", s -> s.proxy().delay(200), 10_000);

  static final Fault NETWORK_LOSS =
      network("network: 20 % segments lost for 10 s", s -> s.proxy().loss(0.2), 10_000);

  static final Fault NETWORK_STALL =
      network("network: partition for 15 s, connections kept", s -> s.proxy().stall(), 15_000);

  static final Fault NETWORK_CUT =
      network("network: partition for 10 s, connections cut", s -> s.proxy().cut(), 10_000);

  static final List<Fault> ALL =
      List.of(
          CORE_KILL_ONE_OF_TWO,
          CORE_KILL_ONLY,
          API_KILL,
          BROKER_RESTART,
          BROKER_KILL,
          CLUSTER_NODE_KILL,
          DATABASE_IMMEDIATE_STOP,
          DEVICE_CRASH_AFTER_RSP,
          DEVICE_RESULT_TWICE,
          DEVICE_RESULT_LATE,
          DEVICE_STRAY_RESULT,
          RECONNECT_STORM,
          NETWORK_DELAY,
          NETWORK_LOSS,
          NETWORK_STALL,
          NETWORK_CUT);

  /** What was changed in the system because the suite found a defect with this fault. */
  static final Map<String, String> FIXED = Map.of();

  private static Fault network(
      String name, java.util.function.Consumer<SystemUnderTest> impair, long millis) {
    return fault(
        name,
        s -> {
          impair.accept(s);
          s.harmed();
          pause(millis);
          s.proxy().heal();
          return Optional.empty();
        });
  }

  private static Fault deviceFault(String name, DeviceFault kind, int ttlSeconds) {
    return fault(
        name,
        s -> {
          String device = nextFaultDevice(s);
          s.swarm.injectFault(device, kind);
          s.harmed();
          return s.load.create(device, ttlSeconds);
        });
  }

  private static String nextFaultDevice(SystemUnderTest s) {
    return s.faultDevices.get(NEXT_FAULT_DEVICE.getAndIncrement() % s.faultDevices.size());
  }

  private static Fault fault(String name, Function<SystemUnderTest, Optional<UUID>> action) {
    return new Fault() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Optional<UUID> inject(SystemUnderTest system) {
        return action.apply(system);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  private static int random(int bound) {
    return ThreadLocalRandom.current().nextInt(bound);
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
