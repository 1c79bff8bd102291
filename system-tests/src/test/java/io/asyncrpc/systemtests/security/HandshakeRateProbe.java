package io.asyncrpc.systemtests.security;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;

/**
 * Measures how many MQTT-over-mTLS logins per second the broker sustains: each is a new TCP
 * connection, a full TLS handshake with the device certificate (CRL check included), MQTT CONNECT
 * with certificate login, CONNACK and DISCONNECT. Loopback only, bounded in time.
 *
 * <p>{@code pki/handshake-rate.sh [SECONDS] [THREADS]} runs it against the local stack.
 */
public final class HandshakeRateProbe {

  private HandshakeRateProbe() {}

  /** Arguments: seconds (default 10), client threads (default 4). */
  public static void main(String[] args) throws Exception {
    Duration duration = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 10);
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    Endpoints endpoints = Infrastructure.endpoints();
    TestPki pki = TestPki.local();
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    try (BrokerSide broker = new BrokerSide(endpoints);
        ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> workers = new ArrayList<>();
      long end = System.nanoTime() + duration.toNanos();
      for (int t = 0; t < threads; t++) {
        // One device per thread: its client id must equal its certificate's name.
        String id = "rate-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createDevice(id);
        KeyManagerFactory keys = pki.device(id).keyManagers();
        workers.add(
            pool.submit(
                () -> {
                  while (System.nanoTime() < end) {
                    Mqtt5BlockingClient client =
                        Mqtt5Client.builder()
                            .identifier(id)
                            .serverHost(endpoints.amqpHost())
                            .serverPort(endpoints.mqttTlsPort())
                            .sslConfig()
                            .keyManagerFactory(keys)
                            .trustManagerFactory(pki.trust())
                            .applySslConfig()
                            .buildBlocking();
                    try {
                      client.connect();
                      client.disconnect();
                      done.incrementAndGet();
                    } catch (RuntimeException e) {
                      failed.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      long start = System.nanoTime();
      for (Future<?> worker : workers) {
        worker.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "%d mTLS MQTT logins in %.1f s with %d client threads: %.0f per second (%d failed)%n",
          done.get(), seconds, threads, done.get() / seconds, failed.get());
    }
  }
}
