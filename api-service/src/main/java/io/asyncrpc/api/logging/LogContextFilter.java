package io.asyncrpc.api.logging;

import io.asyncrpc.web.logging.LogContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Opens the log context of one request: the task or device its path names ({@code
 * /api/v1/tasks/{id}}, {@code /api/v1/devices/{id}}); creation adds the new task's ids itself. The
 * keys are removed when the request ends, so a pooled thread never carries them over.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class LogContextFilter extends OncePerRequestFilter {

  private static final Pattern TASK_PATH =
      Pattern.compile("^/api/v1/tasks/([0-9a-fA-F-]{36})(?:/.*)?$");
  private static final Pattern DEVICE_PATH =
      Pattern.compile("^/api/v1/devices/([A-Za-z0-9_-]{1,64})(?:/.*)?$");

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    Matcher task = TASK_PATH.matcher(path);
    if (task.matches()) {
      try {
        LogContext.task(UUID.fromString(task.group(1)));
      } catch (IllegalArgumentException e) {
        // not a task id: the controller answers 400
      }
    }
    Matcher device = DEVICE_PATH.matcher(path);
    if (device.matches()) {
      LogContext.device(device.group(1));
    }
    try {
      chain.doFilter(request, response);
    } finally {
      LogContext.clear();
    }
  }
}
