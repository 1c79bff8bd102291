package io.asyncrpc.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link PayloadTemplate}. */
class PayloadTemplateTests {

  @Test
  void fillsTheDeviceIdAndTagsAndLeavesOtherBracesAlone() {
    Map<String, String> tags = Map.of("ring", "canary", "site.name", "a$b\\c");
    assertThat(PayloadTemplate.fill("{{device.id}}/{{device.tags.ring}}", "SN-1", tags))
        .isEqualTo("SN-1/canary");
    assertThat(PayloadTemplate.fill("{{device.tags.site.name}}", "SN-1", tags)).isEqualTo("a$b\\c");
    assertThat(PayloadTemplate.fill("[{{device.tags.none}}]", "SN-1", tags)).isEqualTo("[]");
    assertThat(PayloadTemplate.fill("{{job.id}} {{x}}", "SN-1", tags))
        .isEqualTo("{{job.id}} {{x}}");
  }
}
