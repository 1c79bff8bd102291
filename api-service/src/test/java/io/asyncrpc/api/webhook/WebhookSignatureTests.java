package io.asyncrpc.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@link WebhookSignature}, against vectors computed independently with OpenSSL:
 *
 * <pre>
 * KEY=$(echo -n MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw | base64 -d | xxd -p -c 256)
 * printf '%s' 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}' \
 *   | openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEY -binary | base64
 * </pre>
 *
 * (the Standard Webhooks specification's own example gives the same signature).
 */
class WebhookSignatureTests {

  private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  /** Key bytes 00 01 ... 1f. */
  private static final String SECOND_SECRET = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

  private static final String SECOND_BODY =
      """
      {"type":"task.finished","timestamp":"2026-01-01T00:00:00Z",\
      "data":{"id":"t-1","status":"DONE","result":{"sum":6}}}""";
  private static final String SECOND_SIGNATURE = "v1,n9rD9yDhC0y58plq42oqIszGI1eIHS8EKpBA/MtFqI8=";

  @Test
  void signsIdTimestampAndBodyWithTheSecretsDecodedBytes() {
    assertThat(
            WebhookSignature.sign(
                SPEC_SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, "{\"test\": 2432232314}"))
        .isEqualTo(SPEC_SIGNATURE);
    assertThat(
            WebhookSignature.sign(
                SECOND_SECRET, "b9f0e8a2-5c1d-4e6f-8a7b-3c2d1e0f9a8b", 1767225600L, SECOND_BODY))
        .isEqualTo(SECOND_SIGNATURE);
  }

  @Test
  void duringARotationBothSecretsSignSpaceSeparated() {
    String header =
        WebhookSignature.header(
            List.of(SECOND_SECRET, SPEC_SECRET),
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330L,
            "{\"test\": 2432232314}");

    assertThat(header.split(" ")).hasSize(2).endsWith(SPEC_SIGNATURE);
  }

  @Test
  void aChangedByteChangesTheSignature() {
    assertThat(
            WebhookSignature.sign(
                SPEC_SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265331L, "{\"test\": 2432232314}"))
        .isNotEqualTo(SPEC_SIGNATURE);
  }

  @Test
  void newSecretsAreWhsecAndThirtyTwoRandomBytes() {
    String a = WebhookSignature.newSecret();
    String b = WebhookSignature.newSecret();

    assertThat(a).startsWith("whsec_").isNotEqualTo(b);
    assertThat(Base64.getDecoder().decode(a.substring("whsec_".length()))).hasSize(32);
  }

  @Test
  void refusesASecretWithoutItsPrefix() {
    assertThatThrownBy(() -> WebhookSignature.sign("MfKQ9r8GKYqrTwjU", "m", 1, "{}"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
