package io.asyncrpc.mcp.resource;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Tests for {@link ProtocolResources}: the documents come from the repository, via the build. */
class ProtocolResourcesTests {

  @Test
  void theMethodCodesAreTheAgentReadmesTable() {
    String codes =
        ProtocolResources.methodCodes(ProtocolResources.read("mcp/device-agent/README.md"));

    assertThat(codes)
        .startsWith("# Demo method codes")
        .contains("| `echo` |", "| `sleep` |", "| `fail` |", "| `sum` |", "| `progress` |")
        .doesNotContain("Standard output");
  }

  @Test
  void theProtocolIsDocsProtocolMd() {
    assertThat(ProtocolResources.read("mcp/protocol.md")).startsWith("# ");
  }
}
