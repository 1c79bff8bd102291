package io.asyncrpc.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Tests for {@link WebhookSignatures}. */
class WebhookSignaturesTests {

  private static final String SECRET =
      "whsec_" + Base64.getEncoder().encodeToString("a key of thirty-two bytes, exact".getBytes());
  private static final String OTHER =
      "whsec_" + Base64.getEncoder().encodeToString("another key, thirty-two bytes ok".getBytes());
  private static final String BODY = "{\"type\":\"task.finished\"}";

  @Test
  void theSignatureOfTheSecretVerifies() throws Exception {
    assertThat(WebhookSignatures.verifies(SECRET, "msg_1", "1700000000", sign(SECRET), BODY))
        .isTrue();
  }

  @Test
  void oneOfSeveralSignaturesIsEnough() throws Exception {
    String header = sign(OTHER) + " v1,not-base64!" + " " + sign(SECRET);
    assertThat(WebhookSignatures.verifies(SECRET, "msg_1", "1700000000", header, BODY)).isTrue();
  }

  @Test
  void anotherSecretAChangedBodyIdOrTimestampDoNotVerify() throws Exception {
    String signature = sign(OTHER);
    assertThat(WebhookSignatures.verifies(SECRET, "msg_1", "1700000000", signature, BODY))
        .isFalse();
    String mine = sign(SECRET);
    assertThat(WebhookSignatures.verifies(SECRET, "msg_1", "1700000000", mine, BODY + " "))
        .isFalse();
    assertThat(WebhookSignatures.verifies(SECRET, "msg_2", "1700000000", mine, BODY)).isFalse();
    assertThat(WebhookSignatures.verifies(SECRET, "msg_1", "1700000001", mine, BODY)).isFalse();
  }

  @Test
  void missingPartsOrAMalformedSecretDoNotVerify() throws Exception {
    String mine = sign(SECRET);
    assertThat(WebhookSignatures.verifies(null, "msg_1", "1700000000", mine, BODY)).isFalse();
    assertThat(WebhookSignatures.verifies(SECRET, null, "1700000000", mine, BODY)).isFalse();
    assertThat(WebhookSignatures.verifies(SECRET, "msg_1", null, mine, BODY)).isFalse();
    assertThat(WebhookSignatures.verifies(SECRET, "msg_1", "1700000000", null, BODY)).isFalse();
    assertThat(WebhookSignatures.verifies("whsec_%%%", "msg_1", "1700000000", mine, BODY))
        .isFalse();
    assertThat(WebhookSignatures.verifies(SECRET, "msg_1", "1700000000", "v2," + mine, BODY))
        .isFalse();
  }

  /** The signature as the convention defines it, computed here independently. */
  private static String sign(String secret) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
    byte[] digest = mac.doFinal(("msg_1.1700000000." + BODY).getBytes(StandardCharsets.UTF_8));
    return "v1," + Base64.getEncoder().encodeToString(digest);
  }
}
