package io.asyncrpc.systemtests;

import io.asyncrpc.agent.DeviceAgent;
import io.asyncrpc.agent.TaskResult;
import io.asyncrpc.testsupport.ApiClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * Measures, through the running stack, the time from {@code POST /api/v1/tasks} to the device's
 * handler holding the payload, for tasks sent one at a time to one online device. The POST's own
 * round trip is measured beside it as the baseline. Run with {@code scripts/measure-latency}.
 */
public final class PayloadLatencyProbe {

  private PayloadLatencyProbe() {}

  public static void main(String[] args) throws Exception {
    String api = arg(args, 0, "http://127.0.0.1:8080/api/v1");
    int mqttPort = Integer.parseInt(arg(args, 1, "1884"));
    int count = Integer.parseInt(arg(args, 2, "100"));
    int warmUp = Math.max(10, count / 10);

    ApiClient client = new ApiClient(api, clientCredentialsToken());
    String device = "probe-" + UUID.randomUUID().toString().substring(0, 8);
    require(client.post("/devices", Map.of("id", device)), 201);

    SynchronousQueue<Long> received = new SynchronousQueue<>();
    try (DeviceAgent agent =
        DeviceAgent.builder()
            .deviceId(device)
            .broker("127.0.0.1", mqttPort)
            .credentials("device", "device")
            .pollInterval(Duration.ofSeconds(30))
            .handler(
                "probe",
                task -> {
                  received.put(System.nanoTime());
                  return TaskResult.ok();
                })
            .build()) {
      agent.start().get(30, TimeUnit.SECONDS);
      long[] toDevice = new long[count];
      long[] accepted = new long[count];
      for (int i = -warmUp; i < count; i++) {
        long start = System.nanoTime();
        ApiClient.Answer answer =
            client.post(
                "/tasks", Map.of("device_id", device, "method_code", "probe", "payload", i));
        long answered = System.nanoTime();
        require(answer, 202);
        Long at = received.poll(30, TimeUnit.SECONDS);
        if (at == null) {
          throw new IllegalStateException("task " + i + " did not reach the device in 30 s");
        }
        if (i >= 0) {
          toDevice[i] = at - start;
          accepted[i] = answered - start;
        }
      }
      System.out.printf("tasks=%d (after %d warm-up), one device, sequential%n", count, warmUp);
      System.out.println("POST -> 202 (baseline):            " + summary(accepted));
      System.out.println("POST -> payload at the device:     " + summary(toDevice));
    }
  }

  /**
   * A token from ca-service by the client-credentials grant, with the stack's bootstrap client
   * ({@code IOTCORE_CLIENT_ID}, {@code IOTCORE_CLIENT_SECRET}, {@code IOTCORE_CA_URL}: {@code
   * scripts/stack env} prints them).
   */
  private static java.util.function.Supplier<String> clientCredentialsToken() {
    String id = System.getenv("IOTCORE_CLIENT_ID");
    String secret = System.getenv("IOTCORE_CLIENT_SECRET");
    String ca = System.getenv().getOrDefault("IOTCORE_CA_URL", "http://127.0.0.1:8082");
    if (id == null || secret == null) {
      throw new IllegalStateException(
          "set IOTCORE_CLIENT_ID/SECRET: eval \"$(scripts/stack env)\"");
    }
    return ApiClient.clientCredentials(java.net.URI.create(ca), id, secret);
  }

  private static String summary(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format(
        "p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms",
        ms(sorted[sorted.length / 2]),
        ms(sorted[(int) (sorted.length * 0.9)]),
        ms(sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))]),
        ms(sorted[sorted.length - 1]));
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }

  private static void require(ApiClient.Answer answer, int status) {
    if (answer.status() != status) {
      throw new IllegalStateException("expected " + status + " but got " + answer);
    }
  }

  private static String arg(String[] args, int index, String fallback) {
    return args.length > index ? args[index] : fallback;
  }
}
