package io.asyncrpc.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.token.KeyIds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that the edge's shell computes the same key id as the services ({@link KeyIds}): nginx's
 * configuration is rendered before any JVM runs, so the RFC 7638 thumbprint exists once in Java and
 * once in {@code scripts/lib/nginx.sh}, and this keeps the two equal.
 */
class KeyIdAgreementTests {

  @Test
  void theShellsKeyIdIsTheJavaOne(@TempDir Path dir) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    RSAPublicKey key = (RSAPublicKey) generator.generateKeyPair().getPublic();
    Path pem = dir.resolve("jwt-signing.pub.pem");
    Files.writeString(
        pem,
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
    Path script = RepositoryFiles.find("scripts/lib/nginx.sh");

    Process shell =
        new ProcessBuilder("bash", script.toString(), "kid", pem.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(shell.waitFor()).as(output).isZero();
    assertThat(output.strip()).isEqualTo(KeyIds.thumbprint(key));
  }
}
