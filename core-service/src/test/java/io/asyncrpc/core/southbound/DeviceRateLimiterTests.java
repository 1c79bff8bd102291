package io.asyncrpc.core.southbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.core.CoreProperties;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Tests for {@link DeviceRateLimiter}: a token bucket per device, on a clock the test moves. */
class DeviceRateLimiterTests {

  private final AtomicLong nanos = new AtomicLong();
  private final DeviceRateLimiter limiter =
      new DeviceRateLimiter(new CoreProperties.DeviceRate(10, 5), nanos::get);

  @Test
  void aBurstPassesThenTheRateHolds() {
    assertThat(take("a", 7)).isEqualTo(5);

    nanos.addAndGet(1_000_000_000L); // one second: 10 tokens, capped at the burst of 5
    assertThat(take("a", 7)).isEqualTo(5);

    nanos.addAndGet(100_000_000L); // 0.1 s: one token
    assertThat(take("a", 3)).isEqualTo(1);
  }

  @Test
  void oneDevicesFloodLeavesOthersAlone() {
    take("flood", 100);

    assertThat(take("quiet", 5)).isEqualTo(5);
  }

  private int take(String device, int attempts) {
    int passed = 0;
    for (int i = 0; i < attempts; i++) {
      if (limiter.tryAcquire(device)) {
        passed++;
      }
    }
    return passed;
  }
}
