package io.asyncrpc.systemtests.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.TestTokens;
import io.asyncrpc.testsupport.process.ServiceProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The edge in front of a test's api-service: nginx of its own ({@link EdgeProcess}) with a
 * self-signed certificate for {@code localhost} made here by openssl, the public key of {@link
 * TestTokens#shared()} as its JWT key, one worker, and nothing behind the ca and mcp routes unless
 * the settings name an upstream.
 */
public final class TestEdge implements AutoCloseable {

  private final EdgeProcess process;
  private final ApiClient client;
  private final String baseUrl;
  private final SSLContext trust;
  private final Path certificate;

  private TestEdge(EdgeProcess process, String baseUrl, Path cert) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.trust = trusting(cert);
    this.certificate = cert;
    this.client = ApiClient.trusting(baseUrl, trust);
  }

  /**
   * Starts the edge for the api-service on {@code apiPort}, its files in {@code
   * target/system-tests/<name>}; {@code settings} ({@code IOTCORE_NGINX_*}) add to or override the
   * defaults.
   */
  public static TestEdge inFrontOf(String name, int apiPort, Map<String, String> settings)
      throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "system-tests", name)).toAbsolutePath();
    Path cert = dir.resolve("tls.pem");
    Path key = dir.resolve("tls.key");
    selfSignedCertificate(cert, key);
    Path jwtKey = dir.resolve("jwt-signing.pub.pem");
    Files.writeString(jwtKey, TestTokens.shared().publicKeyPem());

    int edgePort = ServiceProcess.freePort();
    Map<String, String> all = new HashMap<>();
    all.put("IOTCORE_NGINX_LISTEN", "127.0.0.1:" + edgePort);
    all.put("IOTCORE_NGINX_API_UPSTREAM", "127.0.0.1:" + apiPort);
    all.put("IOTCORE_NGINX_CA_UPSTREAM", "127.0.0.1:" + ServiceProcess.freePort());
    all.put("IOTCORE_NGINX_MCP_UPSTREAM", "127.0.0.1:" + ServiceProcess.freePort());
    all.put("IOTCORE_NGINX_TLS_CERT", cert.toString());
    all.put("IOTCORE_NGINX_TLS_KEY", key.toString());
    all.put("IOTCORE_NGINX_JWT_KEYS", jwtKey.toString());
    all.put("IOTCORE_NGINX_WORKERS", "1");
    all.putAll(settings);
    EdgeProcess process = EdgeProcess.start(dir.resolve("nginx"), edgePort, all);
    return new TestEdge(process, "https://localhost:" + edgePort, cert);
  }

  /**
   * A client of this edge (paths from its root, {@code /api/v1/...}) that trusts its certificate
   * and sends no token: {@link ApiClient#withToken} gives one that does.
   */
  public ApiClient client() {
    return client;
  }

  /** The edge's address, {@code https://localhost:<port>}. */
  public String baseUrl() {
    return baseUrl;
  }

  /** Its self-signed TLS certificate (PEM), for a client outside this JVM to trust. */
  public Path certificate() {
    return certificate;
  }

  /** TLS that trusts this edge's certificate, for clients of one's own. */
  public SSLContext trust() {
    return trust;
  }

  /** nginx's error log, to explain a failed assertion. */
  public String errorLog() {
    return process.errorLog();
  }

  @Override
  public void close() {
    process.close();
  }

  /** TLS that trusts only the certificate in {@code pem}. */
  private static SSLContext trusting(Path pem) {
    try {
      Certificate ca =
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("edge-ca", ca);
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void selfSignedCertificate(Path cert, Path key) {
    try {
      Process openssl =
          new ProcessBuilder(
                  "openssl",
                  "req",
                  "-x509",
                  "-newkey",
                  "rsa:2048",
                  "-nodes",
                  "-days",
                  "1",
                  "-subj",
                  "/CN=localhost",
                  "-addext",
                  "subjectAltName=DNS:localhost,IP:127.0.0.1",
                  "-keyout",
                  key.toString(),
                  "-out",
                  cert.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(openssl.exitValue()).as("openssl req").isZero();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
