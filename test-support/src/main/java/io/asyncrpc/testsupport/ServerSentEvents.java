package io.asyncrpc.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A reader of a {@code text/event-stream} body, the way a browser's EventSource reads it: events
 * end at a blank line; comments ({@code :}) and the {@code retry:} hint are skipped. {@link
 * ApiClient#stream} opens one; its status and headers tell whether a stream was answered at all.
 */
public final class ServerSentEvents implements AutoCloseable {

  /**
   * One event.
   *
   * @param id its {@code id:} field
   * @param name its {@code event:} field, or null
   * @param data its {@code data:} lines joined with newlines
   */
  public record Event(String id, @Nullable String name, String data) {}

  private final int status;
  private final HttpHeaders headers;
  private final InputStream body;
  private final BufferedReader lines;

  ServerSentEvents(HttpResponse<InputStream> response) {
    this.status = response.statusCode();
    this.headers = response.headers();
    this.body = response.body();
    this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
  }

  /** The HTTP status the stream was opened with: 200, or a refusal whose body is no stream. */
  public int status() {
    return status;
  }

  /** The first value of response header {@code name}, or null. */
  public @Nullable String header(String name) {
    return headers.firstValue(name).orElse(null);
  }

  /** The next event with an id; fails if none arrives within {@code patience}. */
  public Event next(Duration patience) {
    try {
      return CompletableFuture.supplyAsync(this::read)
          .get(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no event within " + patience, e);
    } catch (ExecutionException e) {
      throw new AssertionError("the stream failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private Event read() {
    try {
      String id = null;
      String name = null;
      StringBuilder data = new StringBuilder();
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isEmpty()) {
          if (id != null) {
            return new Event(id, name, data.toString());
          }
          name = null;
          data.setLength(0);
        } else if (line.startsWith("id:")) {
          id = field(line, 3);
        } else if (line.startsWith("event:")) {
          name = field(line, 6);
        } else if (line.startsWith("data:")) {
          data.append(data.isEmpty() ? "" : "\n").append(field(line, 5));
        }
      }
      throw new IllegalStateException("the stream ended");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String field(String line, int start) {
    return line.startsWith(" ", start) ? line.substring(start + 1) : line.substring(start);
  }

  @Override
  public void close() throws IOException {
    body.close();
  }
}
