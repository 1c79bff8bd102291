package io.asyncrpc.core.southbound;

import io.asyncrpc.core.CoreProperties;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * A token bucket per device over the messages a device can send at will ({@code req}, {@code evt}):
 * a device that floods them has the rest dropped (counted), without database work, so it does not
 * slow other devices. Per core instance, in memory: a limit, not a truth. Only registered devices
 * get a bucket, which bounds the map.
 */
@Component
class DeviceRateLimiter {

  private final double perNano;
  private final double burst;
  private final LongSupplier clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  @Autowired
  DeviceRateLimiter(CoreProperties properties) {
    this(properties.deviceRate(), System::nanoTime);
  }

  DeviceRateLimiter(CoreProperties.DeviceRate rate, LongSupplier nanoClock) {
    this.perNano = rate.perSecond() / 1e9;
    this.burst = rate.burst();
    this.clock = nanoClock;
  }

  /** Whether {@code device} may send one more message now (and takes it from its bucket). */
  boolean tryAcquire(String device) {
    long now = clock.getAsLong();
    return buckets.computeIfAbsent(device, d -> new Bucket(burst, now)).take(now, perNano, burst);
  }

  private static final class Bucket {
    private double tokens;
    private long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }

    synchronized boolean take(long now, double perNano, double burst) {
      tokens = Math.min(burst, tokens + (now - at) * perNano);
      at = now;
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }
  }
}
