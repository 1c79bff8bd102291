package io.asyncrpc.api.webhook;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * What follows an attempt: success, a retry after a wait (exponential backoff with jitter, or the
 * endpoint's {@code Retry-After}), giving up, or disabling the endpoint ({@code 410 Gone}).
 */
final class RetrySchedule {

  /** What to do after an attempt. */
  sealed interface Decision {}

  /** A 2xx: the delivery succeeded. */
  record Succeeded() implements Decision {}

  /** Try again after {@code delay}. */
  record RetryAfter(Duration delay) implements Decision {}

  /** No more attempts: the delivery failed. */
  record GiveUp() implements Decision {}

  /** {@code 410 Gone}: the delivery failed and the endpoint is disabled. */
  record Gone() implements Decision {}

  private final WebhookProperties.Retry settings;

  RetrySchedule(WebhookProperties.Retry settings) {
    this.settings = settings;
  }

  /**
   * The decision after an attempt.
   *
   * @param attempts the attempts made so far, this one included
   * @param manual whether this attempt was asked for through the API (it is not retried)
   * @param statusCode the answer's status, or null when there was none (timeout, connection error,
   *     refused target)
   * @param retryAfter the answer's {@code Retry-After}, when it had one
   * @param random a number in {@code [0, 1)} for the jitter
   */
  Decision decide(
      int attempts,
      boolean manual,
      @Nullable Integer statusCode,
      @Nullable Duration retryAfter,
      double random) {
    if (statusCode != null && statusCode >= 200 && statusCode < 300) {
      return new Succeeded();
    }
    if (statusCode != null && statusCode == 410) {
      return new Gone();
    }
    if (manual || attempts >= settings.maxAttempts()) {
      return new GiveUp();
    }
    if (retryAfter != null && statusCode != null && (statusCode == 429 || statusCode == 503)) {
      Duration wait = retryAfter.isNegative() ? Duration.ZERO : retryAfter;
      return new RetryAfter(min(wait, settings.maxRetryAfter()));
    }
    return new RetryAfter(backoff(attempts, random));
  }

  /** The wait after the {@code failed}-th failed attempt (1 for the first), jitter included. */
  Duration backoff(int failed, double random) {
    double base =
        settings.initialInterval().toMillis() * Math.pow(settings.multiplier(), failed - 1);
    double capped = Math.min(base, settings.maxInterval().toMillis());
    double factor = 1 - settings.jitter() + 2 * settings.jitter() * random;
    return Duration.ofMillis(Math.round(capped * factor));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /**
   * A {@code Retry-After} value (RFC 9110: delay seconds or an HTTP date) as a wait from {@code
   * now}; null when absent or unreadable.
   */
  static @Nullable Duration parseRetryAfter(@Nullable String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String text = value.trim();
    try {
      if (text.chars().allMatch(Character::isDigit)) {
        return text.length() > 9
            ? Duration.ofSeconds(999_999_999)
            : Duration.ofSeconds(Long.parseLong(text));
      }
      Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return at.isBefore(now) ? Duration.ZERO : Duration.between(now, at);
    } catch (DateTimeParseException | NumberFormatException e) {
      return null;
    }
  }
}
