package io.asyncrpc.agent.internal.discovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import org.jspecify.annotations.Nullable;

/**
 * Finds the broker on the local network with mDNS/DNS-SD (JmDNS): the local stack and the compose
 * profile announce {@value #MQTT} (plain listener) and {@value #SECURE_MQTT} (mTLS listener) with
 * avahi (see {@code mdns/avahi/}).
 */
public final class BrokerDiscovery {

  /** DNS-SD type of the plain MQTT listener. */
  public static final String MQTT = "_mqtt._tcp.local.";

  /** DNS-SD type of the MQTT over TLS listener. */
  public static final String SECURE_MQTT = "_secure-mqtt._tcp.local.";

  /**
   * A broker found on the network.
   *
   * @param host the IP address to connect to (IPv4 preferred), as text
   * @param port its port
   * @param instance the announced instance name, for messages
   */
  public record Broker(String host, int port, String instance) {}

  private BrokerDiscovery() {}

  /** The service type to look for: {@link #SECURE_MQTT} for a TLS client, else {@link #MQTT}. */
  public static String serviceType(boolean tls) {
    return tls ? SECURE_MQTT : MQTT;
  }

  /**
   * Browses for {@code type} on the interface of {@code address} and returns the first instance
   * that resolves to an IPv4 address and a port; one with only IPv6 addresses is taken when no IPv4
   * one answers within {@code timeout} (a broker often listens on IPv4 only). Empty when none
   * answers.
   *
   * @param address the local address whose interface is queried, or null for JmDNS's choice
   */
  public static Optional<Broker> find(
      String type, Duration timeout, @Nullable InetAddress address) {
    CompletableFuture<Broker> ipv4 = new CompletableFuture<>();
    AtomicReference<@Nullable Broker> ipv6 = new AtomicReference<>();
    try (JmDNS mdns = JmDNS.create(address, "iot-device-agent")) {
      mdns.addServiceListener(type, new Resolver(ipv4, ipv6));
      return Optional.of(ipv4.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      return Optional.ofNullable(ipv6.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException("mDNS discovery failed", e.getCause());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start mDNS on " + address + ": " + e.getMessage(), e);
    }
  }

  /** The broker an announcement describes, if it names an address and a port. */
  static Optional<Broker> broker(ServiceInfo info) {
    if (info == null || info.getPort() <= 0) {
      return Optional.empty();
    }
    return Arrays.stream(info.getInetAddresses())
        .min(Comparator.comparing(a -> a instanceof Inet4Address ? 0 : 1))
        .map(a -> new Broker(a.getHostAddress(), info.getPort(), info.getName()));
  }

  /** Asks for the details of every instance seen and keeps the first usable one. */
  private record Resolver(CompletableFuture<Broker> ipv4, AtomicReference<@Nullable Broker> ipv6)
      implements ServiceListener {

    @Override
    public void serviceAdded(ServiceEvent event) {
      event.getDNS().requestServiceInfo(event.getType(), event.getName(), true);
    }

    @Override
    public void serviceRemoved(ServiceEvent event) {}

    @Override
    public void serviceResolved(ServiceEvent event) {
      broker(event.getInfo())
          .ifPresent(
              broker -> {
                if (isIpv4(broker.host())) {
                  ipv4.complete(broker);
                } else {
                  ipv6.compareAndSet(null, broker);
                }
              });
    }

    private static boolean isIpv4(String host) {
      return host.indexOf(':') < 0;
    }
  }
}
