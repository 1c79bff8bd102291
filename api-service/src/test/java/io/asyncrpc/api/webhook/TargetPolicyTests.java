package io.asyncrpc.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests for {@link TargetPolicy}. */
class TargetPolicyTests {

  private final TargetPolicy strict = new TargetPolicy(false, TargetPolicyTests::resolve);
  private final TargetPolicy local = new TargetPolicy(true, TargetPolicyTests::resolve);

  /** A fake DNS: names of the test resolve to fixed addresses; literals resolve to themselves. */
  private static final Map<String, String[]> DNS =
      Map.of(
          "public.example",
              new String[] {"93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"},
          "mixed.example", new String[] {"93.184.215.14", "10.0.0.7"},
          "rebind.example", new String[] {"127.0.0.1"},
          "metadata.example", new String[] {"169.254.169.254"});

  private static InetAddress[] resolve(String host) throws UnknownHostException {
    String[] addresses = DNS.get(host);
    if (addresses == null) {
      if (host.endsWith(".example")) {
        throw new UnknownHostException(host);
      }
      return InetAddress.getAllByName(host); // a literal: no lookup
    }
    InetAddress[] result = new InetAddress[addresses.length];
    for (int i = 0; i < addresses.length; i++) {
      result[i] = InetAddress.getByName(addresses[i]);
    }
    return result;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://public.example/hooks",
        "http://public.example:8080/a?b=c",
        "https://93.184.215.14/x",
        "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/x"
      })
  void acceptsHttpAndHttpsToPublicAddresses(String url) {
    assertThat(strict.problem(url)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1/x",
        "http://localhost/x",
        "http://[::1]/x",
        "http://10.1.2.3/x",
        "http://172.16.0.1/x",
        "http://172.31.255.254/x",
        "http://192.168.1.1/x",
        "http://100.64.0.1/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[fe80::1]/x",
        "http://[fc00::1]/x",
        "http://[fd12:3456::1]/x",
        "http://[::ffff:10.0.0.1]/x",
        "http://[64:ff9b::7f00:1]/x",
        "http://mixed.example/x",
        "http://rebind.example/x",
        "http://metadata.example/x"
      })
  void refusesLoopbackPrivateAndLinkLocalTargets(String url) {
    assertThat(strict.problem(url)).get().asString().startsWith("has a host that resolves to a");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://0.0.0.0/x",
        "http://0.1.2.3/x",
        "http://[::]/x",
        "http://224.0.0.1/x",
        "http://[ff02::1]/x",
        "http://255.255.255.255/x"
      })
  void refusesUnspecifiedAndMulticastEvenWhenPrivateTargetsAreAllowed(String url) {
    assertThat(strict.problem(url)).isPresent();
    assertThat(local.problem(url)).isPresent();
  }

  @Test
  void theLocalSettingAllowsLoopbackAndPrivateTargets() {
    assertThat(local.problem("http://127.0.0.1:9000/hook")).isEmpty();
    assertThat(local.problem("http://10.1.2.3/x")).isEmpty();
    assertThat(local.problem("http://[::1]:9000/x")).isEmpty();
  }

  @Test
  void namesTheKindOfAddressButNotTheAddress() {
    assertThat(strict.problem("http://mixed.example/x"))
        .contains("has a host that resolves to a private address");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://public.example/x",
        "file:///etc/passwd",
        "gopher://public.example/",
        "public.example/x",
        "https:///x",
        "https://user:pw@public.example/x",
        "https://public.example/x#frag",
        "http://bad host/x",
        "https://unknown.example/x"
      })
  void refusesWhatIsNoUsableHttpUrl(String url) {
    assertThat(strict.problem(url)).isPresent();
    assertThat(local.problem(url)).isPresent();
  }

  @Test
  void refusesOverlongUrls() {
    assertThat(strict.problem("https://public.example/" + "a".repeat(2000))).isPresent();
  }
}
