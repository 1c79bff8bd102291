package io.asyncrpc.agent.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Tests for {@link AgentCli}. */
class AgentCliTests {

  @Test
  void aFailedDiscoveryNamesWhatWasSearchedAndHowToGoOn() {
    String message =
        AgentCli.notFound(
            new CliOptions.Discovery("_mqtt._tcp.local.", Duration.ofSeconds(5), null));

    assertThat(message).contains("_mqtt._tcp.local.", "PT5S", "give --host (and --port)", "avahi");
  }
}
