package io.asyncrpc.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/**
 * {@link BearerHeaderTokens} answers every {@code Authorization} header exactly as Spring
 * Security's default resolver does: the same token, or the same refusal.
 */
class BearerHeaderTokensTests {

  private final BearerTokenResolver ours = new BearerHeaderTokens();
  private final BearerTokenResolver springs = new DefaultBearerTokenResolver();

  @Test
  void readsTheTokenOfABearerHeader() {
    assertThat(ours.resolve(request("Bearer abc.DEF-_~+/09=="))).isEqualTo("abc.DEF-_~+/09==");
    assertThat(ours.resolve(request("bearer abc"))).isEqualTo("abc");
    assertThat(ours.resolve(request("BEARER abc"))).isEqualTo("abc");
  }

  @Test
  void noHeaderOrAnotherSchemeIsNoToken() {
    assertThat(ours.resolve(new MockHttpServletRequest())).isNull();
    assertThat(ours.resolve(request("Basic dXNlcjpwYXNz"))).isNull();
    assertThat(ours.resolve(request(""))).isNull();
  }

  @Test
  void aMalformedBearerTokenIsRefused() {
    for (String header :
        List.of(
            "Bearer",
            "Bearer ",
            "Bearer  abc",
            "Bearer a b",
            "Bearer =",
            "Bearer a=b",
            "Bearerx")) {
      assertThat(answer(ours, header)).as(header).isEqualTo("refused: invalid_token");
    }
  }

  @Test
  void answersAsSpringSecuritysResolverDoes() {
    List<String> headers =
        new ArrayList<>(List.of("Bearer a==", "Bearer ==", "bearer\tabc", "Bearer é"));
    Random random = new Random(42);
    String alphabet = "aZ09-._~+/= \t\u00e9:;,Bb";
    for (int n = 0; n < 20_000; n++) {
      StringBuilder header = new StringBuilder(random.nextBoolean() ? "Bearer " : "bEaReR");
      int length = random.nextInt(12);
      for (int i = 0; i < length; i++) {
        header.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      headers.add(header.toString());
    }
    for (String header : headers) {
      assertThat(answer(ours, header)).as(header).isEqualTo(answer(springs, header));
    }
  }

  private static String answer(BearerTokenResolver resolver, String header) {
    try {
      @Nullable String token = resolver.resolve(request(header));
      return "token: " + token;
    } catch (OAuth2AuthenticationException e) {
      return "refused: " + e.getError().getErrorCode();
    }
  }

  private static MockHttpServletRequest request(String authorization) {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/tasks");
    request.addHeader("Authorization", authorization);
    return request;
  }
}
