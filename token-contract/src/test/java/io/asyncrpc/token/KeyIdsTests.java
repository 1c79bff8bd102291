package io.asyncrpc.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Tests for {@link KeyIds}: the thumbprint of RFC 7638's own example key. */
class KeyIdsTests {

  // RFC 7638, section 3.1: this key's thumbprint is NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs.
  private static final String N =
      "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

  @Test
  void isTheRfc7638Thumbprint() throws Exception {
    BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(N));
    BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode("AQAB"));
    RSAPublicKey key =
        (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));

    assertThat(KeyIds.thumbprint(key)).isEqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  }

  @Test
  void aScopeIsAnAuthorityWithThePrefix() {
    assertThat(Scopes.authority(Scopes.TASKS_READ)).isEqualTo("SCOPE_tasks:read");
    assertThat(Scopes.ALL).doesNotHaveDuplicates().contains(Scopes.CLIENTS_ADMIN);
  }
}
