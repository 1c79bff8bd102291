package io.asyncrpc.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's error report as a problem: Tomcat refuses some requests before any servlet sees them (an
 * encoded NUL or slash in the path, a malformed request line, a header over the size limit), and
 * its default report is an HTML page. This one answers {@code application/problem+json} like the
 * rest of the service. Public with a no-argument constructor because Tomcat instantiates it by
 * class name ({@link TomcatProblemConfiguration}).
 */
public class ProblemErrorReportValve extends ErrorReportValve {

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(false);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    HttpStatus known = HttpStatus.resolve(status);
    String title = known == null ? "Error" : known.getReasonPhrase();
    String detail =
        status >= 500
            ? "an unexpected error occurred; it has been logged"
            : "the request is malformed";
    try {
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(
            "{\"type\":\"%s\",\"title\":\"%s\",\"status\":%d,\"detail\":\"%s\"}"
                .formatted(
                    Problems.TYPE_PREFIX + Problems.genericSlug(status), title, status, detail));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // The client is gone or the response was committed meanwhile; nothing more to say.
    }
  }
}
