package io.asyncrpc.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * {@link HeaderFirewall}'s loops accept exactly what Spring Security's expressions accept, for
 * every code point and for mixed strings.
 */
class HeaderFirewallTests {

  @Test
  void agreesWithTheStrictFirewallOnEveryCodePoint() {
    for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
      String one = new String(Character.toChars(c));
      String framed = "a" + one + "b";
      assertThat(HeaderFirewall.isName(framed))
          .as("name U+%04X", c)
          .isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(framed));
      assertThat(HeaderFirewall.isHeaderValue(framed))
          .as("value U+%04X", c)
          .isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(framed));
    }
  }

  @Test
  void agreesOnTypicalAndHostileHeaders() {
    List<String> values =
        new ArrayList<>(
            List.of(
                "",
                "application/json",
                "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln",
                "a\tb",
                "a\nb",
                "a\rb",
                "a\u0000b",
                "a\u007fb",
                "a\u0085b",
                "a\ud800b",
                "a\udc00",
                "\ud83d\ude00",
                "a\u0378b"));
    for (String value : values) {
      assertThat(HeaderFirewall.isName(value))
          .as(value)
          .isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(value));
      assertThat(HeaderFirewall.isHeaderValue(value))
          .as(value)
          .isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(value));
    }
    assertThat(HeaderFirewall.isHeaderValue("a\tb")).isTrue();
    assertThat(HeaderFirewall.isName("a\tb")).isFalse();
    assertThat(HeaderFirewall.isHeaderValue("a\nb")).isFalse();
  }
}
