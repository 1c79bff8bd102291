package io.asyncrpc.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Sends bytes no HTTP client would send, and reads the whole answer (the server closes). */
final class RawHttp {

  private RawHttp() {}

  /**
   * The answer to {@code request}.
   *
   * @param status the status of the response line
   * @param head the response line and the headers, as sent
   * @param body the body as sent (chunk sizes included if chunked)
   */
  record Answer(int status, String head, String body) {

    /** The value of header {@code name}, or empty text. */
    String header(String name) {
      String prefix = name.toLowerCase(Locale.ROOT) + ":";
      return head.lines()
          .filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
          .map(line -> line.substring(prefix.length()).strip())
          .findFirst()
          .orElse("");
    }
  }

  static Answer send(int port, String request) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      String head = end < 0 ? text : text.substring(0, end);
      String body = end < 0 ? "" : text.substring(end + 4);
      int status = Integer.parseInt(head.split(" ", 3)[1]);
      return new Answer(status, head, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
