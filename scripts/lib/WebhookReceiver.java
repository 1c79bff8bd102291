// A webhook receiver for the demo, run as a single source file (java WebhookReceiver.java):
// verifies each request's Standard Webhooks signature with the secret in WEBHOOK_SECRET, prints
// one line per request and answers 204 (401 when the signature does not verify).
// Usage: WEBHOOK_SECRET=whsec_... java WebhookReceiver.java PORT_FILE
// It listens on a free port of 127.0.0.1 and writes the port to PORT_FILE.

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class WebhookReceiver {

  public static void main(String[] args) throws Exception {
    String secret = System.getenv("WEBHOOK_SECRET");
    if (secret == null || !secret.startsWith("whsec_")) {
      throw new IllegalArgumentException("WEBHOOK_SECRET must be the endpoint's whsec_ secret");
    }
    byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          String id = exchange.getRequestHeaders().getFirst("webhook-id");
          String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
          String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
          boolean verified = false;
          if (id != null && timestamp != null && signatures != null) {
            try {
              Mac mac = Mac.getInstance("HmacSHA256");
              mac.init(new SecretKeySpec(key, "HmacSHA256"));
              byte[] expected =
                  mac.doFinal(
                      (id + "." + timestamp + "." + new String(body, StandardCharsets.UTF_8))
                          .getBytes(StandardCharsets.UTF_8));
              for (String signature : signatures.split(" ")) {
                if (signature.startsWith("v1,")
                    && MessageDigest.isEqual(
                        expected, Base64.getDecoder().decode(signature.substring(3)))) {
                  verified = true;
                }
              }
            } catch (Exception e) {
              verified = false;
            }
          }
          String text = new String(body, StandardCharsets.UTF_8);
          System.out.println(
              (verified ? "verified " : "REFUSED (bad signature) ")
                  + id
                  + " "
                  + (text.length() > 160 ? text.substring(0, 160) + "…" : text));
          exchange.sendResponseHeaders(verified ? 204 : 401, -1);
          exchange.close();
        });
    server.start();
    Files.writeString(Path.of(args[0]), Integer.toString(server.getAddress().getPort()));
  }
}
